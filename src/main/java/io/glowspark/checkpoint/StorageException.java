package io.glowspark.checkpoint;

import java.io.IOException;

import org.apache.hadoop.fs.FSError;

/**
 * A file or directory that the file system will not let this job create, write or read: a full disk, a path under a
 * file, a directory where a file belongs, missing permissions. Not damage to the file's contents (see
 * {@link DamagedFileException}). The message names the path and the fault.
 */
public class StorageException extends IOException {

    public StorageException(Object path, String problem, Throwable cause) {
        super(path + ": " + problem + (cause == null ? "" : " (" + describe(cause) + ")"), cause);
    }

    /** The same failure, thrown again where the job next runs into it. */
    StorageException(String message, StorageException first) {
        super(message, first);
    }

    /** The cause's own message, or its type when it has none; Hadoop's FSError wraps the IOException that says it. */
    static String describe(Throwable cause) {
        Throwable t = cause instanceof FSError && cause.getCause() != null ? cause.getCause() : cause;
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
