package io.glowspark.checkpoint;

import java.io.IOException;

/** A file of a run directory whose contents cannot be used (truncated, corrupted, malformed): names it and the fault. */
public class DamagedFileException extends IOException {

    public DamagedFileException(Object file, String problem) {
        super(file + ": " + problem);
    }

    protected DamagedFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
