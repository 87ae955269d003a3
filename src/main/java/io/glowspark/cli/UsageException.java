package io.glowspark.cli;

/** A command line that cannot be run: unknown command or option, missing or malformed value. */
final class UsageException extends RuntimeException {

    UsageException(String message) {
        super(message);
    }
}
