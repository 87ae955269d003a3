package io.glowspark.checkpoint;

/** A checkpoint that loads, but whose parameters, or their Polyak average, hold NaN or infinite values. */
public class NonFiniteCheckpointException extends CheckpointException {

    public NonFiniteCheckpointException(String file, String problem) {
        super(file, problem);
    }
}
