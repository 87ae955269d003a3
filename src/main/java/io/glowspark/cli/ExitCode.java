package io.glowspark.cli;

/** Exit codes a scheduler can act on. */
public enum ExitCode {
    /** Training done, or the run was already complete. */
    DONE(0),
    /** An unexpected error: see the log. */
    UNEXPECTED(1),
    /**
     * Bad configuration or input data, a damaged file, or a path the file system will not let the job write (a full
     * disk, a path under a file), also when that makes the job lose its lock: fix it and run again.
     */
    BAD_INPUT(2),
    /** Another job holds the run directory's lock, or took it over from this job: try again later. */
    LOCKED(3),
    /** Training failed (for example a non-finite loss): the last good checkpoint is kept. */
    TRAINING_FAILED(4),
    /**
     * The file system of the run directory or of the data is unavailable (not reachable, not answering in time,
     * restarting, failing over), or was for longer than the run lock's lease allows: nothing was lost, run the same
     * command again later.
     */
    UNAVAILABLE(5),
    /**
     * Stopped by a signal (SIGTERM) while running: the last complete checkpoint is kept and the lock released; run
     * the same command to resume. 143 = 128 + 15 is also what the JVM exits with on SIGTERM.
     */
    STOPPED(143);

    public final int code;

    ExitCode(int code) {
        this.code = code;
    }
}
