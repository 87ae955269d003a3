package io.glowspark.data;

/** A data file is missing, unreadable or malformed; the message names the file by its full URI and the problem. */
public class DataException extends RuntimeException {

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }

    static DataException of(Object file, String problem) {
        return new DataException(file + ": " + problem);
    }

    static DataException of(Object file, String problem, Throwable cause) {
        return new DataException(file + ": " + problem, cause);
    }
}
