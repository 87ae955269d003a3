package io.glowspark.checkpoint;

import java.io.IOException;

/**
 * A file or directory that the file system will not let this job create, write or read: a full disk, a path under a
 * file, a directory where a file belongs, missing permissions. Neither damage to the file's contents (see
 * {@link DamagedFileException}) nor a file system that is unavailable for a while (see
 * {@link FileSystemUnavailableException}). The message names the path and the fault.
 */
public class StorageException extends IOException {

    public StorageException(Object path, String problem, Throwable cause) {
        super(path + ": " + problem + (cause == null ? "" : " (" + FileSystemFaults.describe(cause) + ")"), cause);
    }
}
