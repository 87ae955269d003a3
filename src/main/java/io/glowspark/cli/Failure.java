package io.glowspark.cli;

import java.io.FileNotFoundException;

import io.glowspark.checkpoint.DamagedFileException;
import io.glowspark.checkpoint.FileSystemFaults;
import io.glowspark.checkpoint.FileSystemUnavailableException;
import io.glowspark.checkpoint.LockLostException;
import io.glowspark.checkpoint.RunLockedException;
import io.glowspark.checkpoint.StorageException;
import io.glowspark.config.SettingsException;
import io.glowspark.data.DataException;
import io.glowspark.train.RunConflictException;
import io.glowspark.train.TrainingFailedException;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.util.ShutdownHookManager;

/**
 * What a failure means to whoever started the job: its exit code and one line naming the input and the fault. The one
 * mapping from failure to exit code, for the training job and the tools alike. The causes of a failure are looked
 * through, so a data error found inside a Spark task (which reaches the driver wrapped in a SparkException) is still
 * the user's input, and a file system found unavailable anywhere, for the run directory or the data, is that (see
 * {@link FileSystemFaults}) rather than bad input or an unexpected error.
 *
 * @param code    the exit code
 * @param message one line for the log or the terminal
 * @param trace   the failure itself when it was unexpected and its stack trace belongs in the log, else null
 */
record Failure(ExitCode code, String message, Throwable trace) {

    static Failure of(Throwable failure) {
        if (ShutdownHookManager.get().isShutdownInProgress()) {
            return new Failure(ExitCode.STOPPED, "stopped by a signal while running (" + failure + "); the run "
                    + "directory keeps its last complete checkpoint: run the same command to resume", null);
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof LockLostException lost) {
                return lockLost(lost);
            }
            ExitCode code = codeOf(t);
            if (code != null) {
                return new Failure(code, headline(t, code) + messageOf(t, code) + advice(code), null);
            }
        }
        return new Failure(ExitCode.UNEXPECTED, "unexpected error: " + failure, failure);
    }

    /** Another job took the lock over (3), or a renewal failed for good (2), or none succeeded in time (5). */
    private static Failure lockLost(LockLostException lost) {
        Throwable why = lost.getCause();
        while (why instanceof LockLostException first) { // thrown again where the job ran into it
            why = first.getCause();
        }
        ExitCode code = lost.takenOver() ? ExitCode.LOCKED
                : why instanceof StorageException ? ExitCode.BAD_INPUT : ExitCode.UNAVAILABLE;
        return new Failure(code, lost.getMessage() + advice(code), null);
    }

    /**
     * The exit code of {@code t} alone. A failure of ours (bad input, ...) caused by a file system that is unavailable
     * is that; so is an exception of the file system's client that says so, unwrapped.
     */
    private static ExitCode codeOf(Throwable t) {
        ExitCode code = typedCodeOf(t);
        if (code == ExitCode.BAD_INPUT && FileSystemFaults.isUnavailability(t)
                || code == null && FileSystemFaults.saysUnavailable(t)) {
            return ExitCode.UNAVAILABLE;
        }
        return code;
    }

    private static ExitCode typedCodeOf(Throwable t) {
        if (t instanceof FileSystemUnavailableException) {
            return ExitCode.UNAVAILABLE;
        }
        if (t instanceof UsageException || t instanceof SettingsException || t instanceof DataException
                || t instanceof RunConflictException || t instanceof DamagedFileException
                || t instanceof StorageException || t instanceof ChecksumException || t instanceof FSError
                || t instanceof FileNotFoundException) {
            return ExitCode.BAD_INPUT;
        }
        if (t instanceof RunLockedException) {
            return ExitCode.LOCKED;
        }
        if (t instanceof TrainingFailedException) {
            return ExitCode.TRAINING_FAILED;
        }
        return null;
    }

    private static String headline(Throwable t, ExitCode code) {
        if (code == ExitCode.BAD_INPUT && (t instanceof StorageException || t instanceof FSError)) {
            return "the file system refused: ";
        }
        return switch (code) {
            case BAD_INPUT -> "bad configuration or input: ";
            case TRAINING_FAILED -> "training failed: ";
            case UNAVAILABLE -> t instanceof FileSystemUnavailableException ? "" : "the file system is unavailable: ";
            default -> "";
        };
    }

    private static String advice(ExitCode code) {
        return code == ExitCode.UNAVAILABLE ? "; nothing was lost: run the same command again later" : "";
    }

    private static String messageOf(Throwable t, ExitCode code) {
        if (code == ExitCode.UNAVAILABLE) {
            return FileSystemFaults.describe(t);
        }
        if (t instanceof ChecksumException) {
            return "a file is damaged, its contents do not match the checksum the file system keeps beside it (changed "
                    + "by hand or corrupted on disk); restore the file, or move it aside with its .crc file: "
                    + t.getMessage();
        }
        if (t instanceof FSError && t.getCause() != null) {
            return t.getCause().getMessage();
        }
        return t.getMessage();
    }
}
