package io.glowspark.checkpoint;

import java.io.IOException;

/**
 * The file system did not answer, or was not ready (see {@link FileSystemFaults}): nothing is wrong with the run or its
 * files, and the same call can succeed later. The message names the path, what the job was doing and the cause.
 */
public class FileSystemUnavailableException extends IOException {

    public FileSystemUnavailableException(Object path, String action, Throwable cause) {
        super(path + ": " + action + ", the file system is unavailable (" + FileSystemFaults.describe(cause) + ")",
                cause);
    }
}
