package io.glowspark.checkpoint;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.ShutdownHookManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one job allowed to write a run directory. The {@code LOCK} file names its owner and a lease expiry; a daemon
 * thread renews the lease. A lock whose lease expired (its owner died) is taken over. Lease times are compared
 * across machines, so clocks must agree to well within the lease.
 *
 * <p>Creation uses {@code create(overwrite=false)}, which at most one contender wins on HDFS; every acquisition and
 * every renewal re-reads the file and checks the owner token, so an owner that lost the lock (it was paused for
 * longer than the lease and someone took over) notices instead of overwriting the new owner's lock.
 *
 * <p>The lock is lost when another job took it over, when a renewal fails in any way (the Error by which Hadoop's
 * local file system reports a full disk included: the job cannot show it is alive), and when the lease runs out
 * without a renewal. From then on {@link #isHeld()} is false and {@link #checkHeld()}, which guards every write of
 * the run directory, throws why: the job writes nothing more and ends.
 *
 * <p>A job stopped with SIGTERM (YARN, Kubernetes and workflow schedulers stop jobs that way) releases its lock in a
 * shutdown hook that runs after Spark has stopped and before Hadoop closes its file systems, so the same command can
 * start again at once. Only SIGKILL leaves the lock to expire.
 */
public final class RunLock implements AutoCloseable {

    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(60);
    public static final Duration DEFAULT_RENEW_EVERY = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(RunLock.class);
    /** Hadoop runs higher priorities first: after Spark's own hook (40), before the FileSystem cache closes (10). */
    private static final int RELEASE_HOOK_PRIORITY = FileSystem.SHUTDOWN_HOOK_PRIORITY + 5;

    /** Who holds a lock; {@code token} is unique per acquisition. */
    public record Owner(String host, long pid, long startedMillis, String token) {
        static Owner current() {
            return new Owner(hostName(), ProcessHandle.current().pid(), System.currentTimeMillis(),
                    UUID.randomUUID().toString());
        }

        @Override
        public String toString() {
            return "pid " + pid + " on " + host + " (locked since " + Instant.ofEpochMilli(startedMillis) + ")";
        }
    }

    /** The content of the LOCK file. */
    record LockFile(Owner owner, long leaseExpiresMillis) {
    }

    private final FileSystem fs;
    private final Path file;
    private final Owner owner;
    private final Duration lease;
    private final ScheduledExecutorService renewer;
    private final Runnable releaseOnShutdown = this::releaseQuietly;
    private volatile boolean released;
    /** Why the lock was lost; empty while it is held. */
    private final AtomicReference<IOException> lost = new AtomicReference<>();
    private volatile long leaseExpiresMillis;

    private RunLock(FileSystem fs, Path file, Owner owner, Duration lease, long leaseExpiresMillis) {
        this.fs = fs;
        this.file = file;
        this.owner = owner;
        this.lease = lease;
        this.leaseExpiresMillis = leaseExpiresMillis;
        this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "run-lock-renewal " + file);
            t.setDaemon(true);
            return t;
        });
    }

    /** Takes the lock at {@code file} or throws {@link RunLockedException} naming the current owner. */
    static RunLock acquire(FileSystem fs, Path file, Duration lease, Duration renewEvery) throws IOException {
        if (renewEvery.compareTo(lease) >= 0) {
            throw new IllegalArgumentException("Renew the lock (" + renewEvery + ") more often than its lease " + lease);
        }
        Owner me = Owner.current();
        for (int attempt = 0; attempt < 3; attempt++) {
            LockFile mine = new LockFile(me, System.currentTimeMillis() + lease.toMillis());
            if (tryCreate(fs, file, mine)) {
                LockFile actual = read(fs, file, lease).orElse(null);
                if (actual == null || actual.owner() == null || !me.token().equals(actual.owner().token())) {
                    throw new RunLockedException(file, actual == null ? null : actual.owner(),
                            "another job took it at the same moment");
                }
                RunLock lock = new RunLock(fs, file, me, lease, mine.leaseExpiresMillis());
                lock.startRenewal(renewEvery);
                ShutdownHookManager.get().addShutdownHook(lock.releaseOnShutdown, RELEASE_HOOK_PRIORITY);
                LOG.info("Locked {} as {}", file, me);
                return lock;
            }
            Optional<LockFile> existing = read(fs, file, lease);
            if (existing.isEmpty()) {
                continue; // released between our create and our read
            }
            long now = System.currentTimeMillis();
            if (existing.get().leaseExpiresMillis() > now) {
                throw new RunLockedException(file, existing.get().owner(),
                        "lease valid until " + Instant.ofEpochMilli(existing.get().leaseExpiresMillis()));
            }
            LOG.warn("Taking over {}: the lease of {} expired at {}", file, describe(existing.get().owner()),
                    Instant.ofEpochMilli(existing.get().leaseExpiresMillis()));
            fs.delete(file, false);
        }
        throw new RunLockedException(file, null, "other jobs keep taking it");
    }

    public Owner owner() {
        return owner;
    }

    /** False once this lock was released or lost. */
    public boolean isHeld() {
        return !released && lost.get() == null && System.currentTimeMillis() <= leaseExpiresMillis;
    }

    /**
     * Throws unless this job holds the lock with a lease that has not run out; called before every write of the run
     * directory and at every round of training.
     *
     * @throws RunLockedException if another job took the lock over
     * @throws StorageException   if the lock could not be renewed, or its lease ran out without a renewal
     */
    public void checkHeld() throws IOException {
        if (released) {
            throw new IllegalStateException("the lock " + file + " was released; this job may not write any more");
        }
        long expiry = leaseExpiresMillis;
        if (System.currentTimeMillis() > expiry) {
            lose(new StorageException(file, "the run lock's lease ran out at " + Instant.ofEpochMilli(expiry)
                    + " without a renewal, so this job stops writing", null));
        }
        IOException reason = lost.get();
        if (reason instanceof RunLockedException taken) {
            throw new RunLockedException(taken.getMessage(), taken);
        }
        if (reason instanceof StorageException failed) {
            throw new StorageException(failed.getMessage(), failed);
        }
    }

    /** Stops renewal and deletes the lock file if it is still ours; a lost lock's file is left alone. */
    @Override
    public synchronized void close() throws IOException {
        renewer.shutdownNow();
        if (!ShutdownHookManager.get().isShutdownInProgress()) {
            ShutdownHookManager.get().removeShutdownHook(releaseOnShutdown);
        }
        boolean wasHeld = !released && lost.get() == null;
        released = true;
        if (!wasHeld) {
            return;
        }
        if (isOurs(read(fs, file, lease))) {
            fs.delete(file, false);
            LOG.info("Released {}", file);
        }
    }

    private void releaseQuietly() {
        try {
            close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not release {} while shutting down; it expires with its lease: {}", file, e.toString());
        }
    }

    private void startRenewal(Duration every) {
        renewer.scheduleWithFixedDelay(this::renew, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One renewal: the lease is extended, or the lock is lost, never left in between. */
    private synchronized void renew() {
        if (released || lost.get() != null) {
            return;
        }
        try {
            Optional<LockFile> current = read(fs, file, lease);
            if (!isOurs(current)) {
                Owner other = current.map(LockFile::owner).orElse(null);
                lose(new RunLockedException(file, other, "this job (" + owner + ") lost it to "
                        + (current.isEmpty() ? "a job that removed the lock file" : describe(other))
                        + "; this job stops writing"));
                return;
            }
            LockFile renewed = new LockFile(owner, System.currentTimeMillis() + lease.toMillis());
            try (OutputStream out = fs.create(file, true)) {
                out.write(Json.write(renewed));
            }
            leaseExpiresMillis = renewed.leaseExpiresMillis();
        } catch (Exception | Error e) { // Hadoop's local file system reports a full disk as an Error (FSError)
            lose(new StorageException(file, "could not renew the run lock, so this job stops writing", e));
        }
    }

    /**
     * Marks the lock lost, once, and stops renewing it; every write after this fails with {@code reason}. Not
     * synchronized: the lease check must not wait for a renewal stuck in the file system.
     */
    private void lose(IOException reason) {
        if (!released && lost.compareAndSet(null, reason)) {
            LOG.error("Lost the run lock: {}", reason.getMessage());
            renewer.shutdown();
        }
    }

    private boolean isOurs(Optional<LockFile> current) {
        return current.isPresent() && current.get().owner() != null
                && owner.token().equals(current.get().owner().token());
    }

    private static boolean tryCreate(FileSystem fs, Path file, LockFile content) throws IOException {
        byte[] bytes = Json.write(content);
        if (fs instanceof LocalFileSystem local) {
            // LocalFileSystem's create(overwrite=false) checks, then creates: two processes can both pass. O_EXCL cannot.
            java.nio.file.Path path = local.pathToFile(file).toPath();
            try {
                Files.write(path, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                return true;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                return false;
            }
        }
        try (OutputStream out = fs.create(file, false)) {
            out.write(bytes);
            return true;
        } catch (IOException e) {
            if (fs.exists(file)) {
                return false; // FileAlreadyExistsException, or a lookalike from a file system that wraps it
            }
            throw e;
        }
    }

    /**
     * The lock file's content; empty if there is no lock file. An unreadable one (its writer died mid-write) has no
     * owner and expires one lease after it was last modified.
     */
    static Optional<LockFile> read(FileSystem fs, Path file, Duration lease) throws IOException {
        byte[] bytes;
        try (InputStream in = fs.open(file)) {
            bytes = in.readAllBytes();
        } catch (FileNotFoundException e) {
            return Optional.empty();
        } catch (ChecksumException e) {
            return Optional.of(unreadable(fs, file, lease)); // file:// renews content and .crc in two steps
        }
        try {
            return Optional.of(Json.read(bytes, LockFile.class));
        } catch (IOException | RuntimeException e) {
            return Optional.of(unreadable(fs, file, lease));
        }
    }

    private static LockFile unreadable(FileSystem fs, Path file, Duration lease) throws IOException {
        return new LockFile(null, fs.getFileStatus(file).getModificationTime() + lease.toMillis());
    }

    static String describe(Owner owner) {
        return owner == null ? "an unknown owner (unreadable lock file)" : owner.toString();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }
}
