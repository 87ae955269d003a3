package io.glowspark.checkpoint;

import java.io.IOException;

import org.apache.hadoop.fs.Path;

/**
 * This job no longer holds its run directory's lock, so it writes nothing more: another job took the lock over, a
 * renewal failed for a reason that does not pass (a full disk), or no renewal succeeded in time while the file system
 * was unavailable. The cause, if any, is the failure of the last renewal.
 */
public class LockLostException extends IOException {

    private final boolean takenOver;

    LockLostException(Path runDir, String why, boolean takenOver, Throwable cause) {
        super("this job lost its lock on " + runDir + ": " + why, cause);
        this.takenOver = takenOver;
    }

    /** The same loss, thrown again where the job next runs into it. */
    LockLostException(LockLostException first) {
        super(first.getMessage(), first);
        this.takenOver = first.takenOver;
    }

    /** True if another job holds the lock now. */
    public boolean takenOver() {
        return takenOver;
    }
}
