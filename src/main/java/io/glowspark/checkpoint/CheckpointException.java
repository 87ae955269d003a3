package io.glowspark.checkpoint;

import java.io.IOException;

/** A checkpoint file that cannot be used: the message names the file and what is wrong with it. */
public class CheckpointException extends IOException {

    public CheckpointException(String file, String problem) {
        super("Checkpoint " + file + ": " + problem);
    }

    public CheckpointException(String file, String problem, Throwable cause) {
        super("Checkpoint " + file + ": " + problem, cause);
    }
}
