package io.glowspark.train;

/** The run directory holds a run of another configuration; nothing was changed. */
public class RunConflictException extends RuntimeException {

    public RunConflictException(String message) {
        super(message);
    }
}
