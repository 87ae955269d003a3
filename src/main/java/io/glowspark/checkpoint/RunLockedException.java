package io.glowspark.checkpoint;

import java.io.IOException;

import org.apache.hadoop.fs.Path;

/** Another job holds the run directory's lock. */
public class RunLockedException extends IOException {

    private final transient RunLock.Owner owner;

    RunLockedException(Path lockFile, RunLock.Owner owner, String detail) {
        super("Run directory is locked by " + RunLock.describe(owner) + ": " + lockFile + ", " + detail);
        this.owner = owner;
    }

    /** The other owner, null if the lock file could not be read. */
    public RunLock.Owner owner() {
        return owner;
    }
}
