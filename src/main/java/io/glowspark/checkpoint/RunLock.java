package io.glowspark.checkpoint;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
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

import com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FSError;
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
 * <p>A write is allowed only while the last successful renewal started less than {@link #writableFor} the lease ago:
 * the rest of the lease, a third, is left for a file-system call started just before that moment to end (the client's
 * waits are bounded by {@link FileSystemTimeouts}) before another job may take over. A renewal that fails because the
 * file system is unavailable is tried again at the next one, and the job goes on meanwhile; the lock is lost when no
 * renewal succeeds in time, when a renewal fails in another way (the Error by which Hadoop's local file system reports
 * a full disk included), and when another job took it over. From then on {@link #isHeld()} is false and
 * {@link #checkHeld()}, which guards every write of the run directory, throws a {@link LockLostException} saying why:
 * the job writes nothing more and ends. (A NameNode frozen with a call of this job in its queue may still carry it out
 * when it thaws; HDFS offers no way to fence a client out. Seen: a renewal's rewrite of the lock file.)
 *
 * <p>A job stopped with SIGTERM (YARN, Kubernetes and workflow schedulers stop jobs that way) releases its lock in a
 * shutdown hook that runs after Spark has stopped and before Hadoop closes its file systems, so the same command can
 * start again at once. Only SIGKILL, or a file system that is unavailable at the end, leaves the lock to expire.
 */
public final class RunLock implements AutoCloseable {

    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(60);
    public static final Duration DEFAULT_RENEW_EVERY = Duration.ofSeconds(10);
    private static final int UNREADABLE_ATTEMPTS = 5;
    private static final long UNREADABLE_PAUSE_MILLIS = 100;

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
    private final Runnable releaseOnShutdown = this::close;
    private volatile boolean released;
    /** Why the lock was lost; empty while it is held. */
    private final AtomicReference<LockLostException> lost = new AtomicReference<>();
    /** The lease of the last successful renewal: it started one lease before this. */
    private volatile long leaseExpiresMillis;
    /** Why the renewals since the last successful one failed, while the file system is unavailable; else null. */
    private volatile FileSystemUnavailableException renewalFailure;

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

    /**
     * How long after a renewal started this job may write: two thirds of the lease. The lock must be renewed more
     * often than that.
     */
    public static Duration writableFor(Duration lease) {
        return lease.minus(lease.dividedBy(3));
    }

    /** Takes the lock at {@code file} or throws {@link RunLockedException} naming the current owner. */
    static RunLock acquire(FileSystem fs, Path file, Duration lease, Duration renewEvery) throws IOException {
        if (renewEvery.compareTo(writableFor(lease)) >= 0) {
            throw new IllegalArgumentException("Renew the lock (" + renewEvery + ") more often than two thirds of its "
                    + "lease " + lease);
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

    public Duration lease() {
        return lease;
    }

    /** False once this lock was released or lost, and while no renewal has succeeded in time for this job to write. */
    public boolean isHeld() {
        return !released && lost.get() == null && System.currentTimeMillis() <= writableUntilMillis();
    }

    /** Until when this job may write unless a renewal succeeds before. */
    public Instant writableUntil() {
        return Instant.ofEpochMilli(writableUntilMillis());
    }

    private long writableUntilMillis() {
        return leaseExpiresMillis - lease.toMillis() + writableFor(lease).toMillis();
    }

    /**
     * Throws unless this job holds the lock and may write; called before every write of the run directory and at every
     * round of training.
     *
     * @throws LockLostException if another job took the lock over, a renewal failed for good, or no renewal succeeded
     *                           in time
     */
    public void checkHeld() throws IOException {
        if (released) {
            throw new IllegalStateException("the lock " + file + " was released; this job may not write any more");
        }
        if (System.currentTimeMillis() > writableUntilMillis()) {
            lose(noRenewalInTime());
        }
        LockLostException reason = lost.get();
        if (reason != null) {
            throw new LockLostException(reason);
        }
    }

    /**
     * Stops renewal and deletes the lock file if it is still ours and its lease safe; a lost lock's file is left alone.
     * A lock file that cannot be deleted (the file system is unavailable) is left to expire with its lease, with a
     * warning: the job's work is done.
     */
    @Override
    public synchronized void close() {
        renewer.shutdownNow();
        if (!ShutdownHookManager.get().isShutdownInProgress()) {
            ShutdownHookManager.get().removeShutdownHook(releaseOnShutdown);
        }
        boolean wasHeld = isHeld();
        released = true;
        if (!wasHeld) {
            return;
        }
        try {
            if (isOurs(read(fs, file, lease))) {
                fs.delete(file, false);
                LOG.info("Released {}", file);
            }
        } catch (IOException | RuntimeException | FSError e) {
            LOG.warn("Could not release {}; it expires with its lease at {}: {}", file,
                    Instant.ofEpochMilli(leaseExpiresMillis), FileSystemFaults.describe(e));
        }
    }

    private void startRenewal(Duration every) {
        renewer.scheduleWithFixedDelay(this::renew, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * One renewal: the lease is extended; or the renewal failed because the file system is unavailable, and the next
     * one tries again; or the lock is lost.
     */
    private synchronized void renew() {
        if (released || lost.get() != null) {
            return;
        }
        long started = System.currentTimeMillis();
        if (started > writableUntilMillis()) { // a renewal is a write too: started now, it might end after the lease
            lose(noRenewalInTime());
            return;
        }
        try {
            Optional<LockFile> current = read(fs, file, lease);
            if (!isOurs(current) && !tornByThisJob(current, started)) {
                Owner other = current.map(LockFile::owner).orElse(null);
                lose(new LockLostException(file.getParent(), (current.isEmpty() ? "a job removed the lock file"
                        : describe(other) + " took it over") + "; this job stops writing", true, null));
                return;
            }
            LockFile renewed = new LockFile(owner, started + lease.toMillis());
            AtomicFiles.writeAndClose(fs.create(file, true), out -> out.write(Json.write(renewed)));
            leaseExpiresMillis = renewed.leaseExpiresMillis();
            if (renewalFailure != null) {
                LOG.info("Renewed {} again", file);
                renewalFailure = null;
            }
        } catch (Exception | Error e) { // Hadoop's local file system reports a full disk as an Error (FSError)
            IOException failure = FileSystemFaults.classify(file, "cannot renew the run lock", e);
            if (failure instanceof FileSystemUnavailableException unavailable) {
                if (renewalFailure == null) {
                    LOG.warn("{}; trying again every renewal, and writing until {} unless one succeeds",
                            failure.getMessage(), writableUntil());
                }
                renewalFailure = unavailable;
            } else {
                lose(new LockLostException(file.getParent(), failure.getMessage() + "; this job stops writing", false,
                        failure));
            }
        }
    }

    /** The loss when no renewal succeeded in time, with the failure of the last one if it failed. */
    private LockLostException noRenewalInTime() {
        FileSystemUnavailableException failure = renewalFailure;
        return new LockLostException(file.getParent(), "no renewal succeeded since "
                + Instant.ofEpochMilli(leaseExpiresMillis - lease.toMillis()) + " ("
                + (failure == null ? "none has finished" : FileSystemFaults.describe(failure.getCause()))
                + "); its lease runs out at " + Instant.ofEpochMilli(leaseExpiresMillis)
                + ", when another job may take it over, so this job stops writing", false, failure);
    }

    /**
     * Marks the lock lost, once, and stops renewing it; every write after this fails with {@code reason}. Not
     * synchronized: the lease check must not wait for a renewal stuck in the file system.
     */
    private void lose(LockLostException reason) {
        if (!released && lost.compareAndSet(null, reason)) {
            LOG.error("Lost the run lock: {}", reason.getMessage());
            renewer.shutdown();
        }
    }

    /**
     * An unreadable lock file while this job's lease runs: its own renewal that failed mid-write left it (a contender
     * cannot create the file while it exists, and waits for the lease of an unreadable one).
     */
    private boolean tornByThisJob(Optional<LockFile> current, long now) {
        return current.isPresent() && current.get().owner() == null && now < leaseExpiresMillis;
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
        FSDataOutputStream out;
        try {
            out = fs.create(file, false);
        } catch (IOException e) {
            if (fs.exists(file)) {
                return false; // FileAlreadyExistsException, or a lookalike from a file system that wraps it
            }
            throw e;
        }
        AtomicFiles.writeAndClose(out, o -> o.write(bytes));
        return true;
    }

    /**
     * The lock file's content; empty if there is no lock file. One that cannot be read is read again a few times: a
     * renewal rewriting it at the same moment leaves it incomplete for a while (on file://, its content and its .crc
     * are written in two steps; on HDFS a reader may find its blocks changed). One that stays unreadable (its writer
     * died mid-write) has no owner and expires one lease after it was last modified.
     */
    static Optional<LockFile> read(FileSystem fs, Path file, Duration lease) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try (InputStream in = fs.open(file)) {
                return Optional.of(Json.read(in.readAllBytes(), LockFile.class));
            } catch (FileNotFoundException e) {
                return Optional.empty();
            } catch (IOException | RuntimeException e) {
                boolean incomplete = e instanceof ChecksumException || e instanceof JsonProcessingException
                        || e instanceof RuntimeException || changedWhileRead(e);
                if (!incomplete) {
                    throw e;
                }
                if (attempt == UNREADABLE_ATTEMPTS) {
                    return Optional.of(unreadable(fs, file, lease));
                }
            }
            try {
                Thread.sleep(UNREADABLE_PAUSE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading " + file);
            }
        }
    }

    /** HDFS's failure to read a file that was replaced while it was read. */
    private static boolean changedWhileRead(Exception e) {
        return e.getMessage() != null && e.getMessage().startsWith("Blocklist for ")
                && e.getMessage().endsWith(" has changed!");
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
