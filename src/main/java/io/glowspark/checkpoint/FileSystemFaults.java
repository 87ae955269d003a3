package io.glowspark.checkpoint;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.hdfs.BlockMissingException;
import org.apache.hadoop.hdfs.server.namenode.NotReplicatedYetException;
import org.apache.hadoop.hdfs.server.namenode.SafeModeException;
import org.apache.hadoop.ipc.RemoteException;
import org.apache.hadoop.ipc.RetriableException;
import org.apache.hadoop.ipc.StandbyException;

/**
 * Tells a file system that is unavailable (not reachable, not answering in time, restarting, failing over, without a
 * DataNode to write to) from one that refuses (a full disk, permissions, a path under a file) and from damaged
 * contents. Unavailability passes: the same call succeeds later, and nothing is wrong with the run. Hadoop reports it
 * in many shapes, often wrapped in other exceptions, and some only by their message.
 */
public final class FileSystemFaults {

    /** Server-side failures, as a RemoteException names them, that mean "not now". */
    private static final Set<String> UNAVAILABLE_ON_THE_SERVER = Set.of(RetriableException.class.getName(),
            StandbyException.class.getName(), SafeModeException.class.getName(),
            NotReplicatedYetException.class.getName());
    /**
     * Hadoop's messages for a write that found no DataNode to write to: none registered (a restart), or every one
     * excluded after failing to answer this client. "... and no node(s) are excluded" (all full) is a refusal.
     */
    private static final Pattern NO_DATANODE = Pattern.compile(
            "There are 0 datanode\\(s\\) running|[1-9][0-9]* node\\(s\\) are excluded|All datanodes .* are bad");
    /** Hadoop appends a link to every network failure it wraps; it says nothing more. */
    private static final Pattern MORE_DETAILS = Pattern.compile(";? *For more details see: .*$");

    private FileSystemFaults() {
    }

    /** True if {@code failure} or one of its causes says that the file system is unavailable. */
    public static boolean isUnavailability(Throwable failure) {
        return unavailability(failure) != null;
    }

    /** The first of {@code failure} and its causes that says the file system is unavailable; null if none does. */
    static Throwable unavailability(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (saysUnavailable(t)) {
                return t;
            }
        }
        return null;
    }

    /** True if {@code t} itself, not looking at its causes, says that the file system is unavailable. */
    public static boolean saysUnavailable(Throwable t) {
        if (t instanceof SocketException // connection refused or reset, no route to host
                || t instanceof SocketTimeoutException // connecting, or waiting for an answer
                || t instanceof RetriableException || t instanceof StandbyException || t instanceof SafeModeException
                || t instanceof BlockMissingException) { // no DataNode holding the block answers
            return true;
        }
        if (t instanceof RemoteException remote && UNAVAILABLE_ON_THE_SERVER.contains(remote.getClassName())) {
            return true;
        }
        String message = t.getMessage();
        if (!(t instanceof IOException) || message == null) {
            return false; // a wrapper (a SparkException, ...) quotes its causes' messages: only they say what happened
        }
        // An RPC connection the server closed mid-call: Hadoop says "End of File Exception between local host ..."
        return t instanceof EOFException && message.startsWith("End of File Exception between")
                || NO_DATANODE.matcher(message).find()
                || message.contains("Connection reset by peer") || message.contains("Broken pipe");
    }

    /**
     * A failure of the file system at {@code path} while it did {@code action} ("cannot write", ...), as the job
     * reports it: a {@link FileSystemUnavailableException}, or else a {@link StorageException} (a refusal). A failure
     * already told apart by this package (damage, a lost or taken lock, ...) is returned as it is.
     */
    static IOException classify(Object path, String action, Throwable failure) {
        if (failure instanceof StorageException || failure instanceof FileSystemUnavailableException
                || failure instanceof DamagedFileException || failure instanceof RunLockedException
                || failure instanceof LockLostException) {
            return (IOException) failure;
        }
        return isUnavailability(failure) ? new FileSystemUnavailableException(path, action, failure)
                : new StorageException(path, action, failure);
    }

    /**
     * The failure in one line: its first line, without the link Hadoop appends to network failures. Hadoop's FSError
     * wraps the IOException that says what happened; a failure without a message is named by its type.
     */
    public static String describe(Throwable failure) {
        Throwable t = failure instanceof FSError && failure.getCause() != null ? failure.getCause() : failure;
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return t.getClass().getSimpleName();
        }
        return MORE_DETAILS.matcher(message.lines().findFirst().orElse("")).replaceFirst("");
    }
}
