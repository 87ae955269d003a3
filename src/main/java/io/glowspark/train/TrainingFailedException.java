package io.glowspark.train;

/** Training could not go on (a non-finite loss, for example); the run directory keeps its last good checkpoint. */
public class TrainingFailedException extends RuntimeException {

    public TrainingFailedException(String message) {
        super(message);
    }
}
