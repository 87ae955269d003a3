package io.glowspark.checkpoint;

import static io.glowspark.checkpoint.RunDirectoryContract.metrics;
import static io.glowspark.checkpoint.RunDirectoryContract.model;
import static io.glowspark.checkpoint.RunDirectoryContract.polyak;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.glowspark.testing.LogCapture;
import io.glowspark.testing.MiniHdfs;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The run directory on a real HDFS whose NameNode or DataNode stops under it: writes done again until the file system
 * is back, a lock lost when no renewal succeeds in time, and failures to read told apart from damage.
 */
@Tag("slow")
class RunDirectoryOutageTest {

    /** A lease long enough for a NameNode restart on a busy machine: writes may go on 80 s after the last renewal. */
    private static final Duration LEASE = Duration.ofSeconds(120);
    /**
     * Renewals far apart, so that none is under way when a test stops the NameNode: one stopped in the middle of a
     * call (in this JVM, with assertions on) may answer it with an AssertionError, which a real NameNode does not.
     */
    private static final Duration RENEW_EVERY = Duration.ofSeconds(5);

    private static MiniHdfs hdfs;

    @BeforeAll
    static void startHdfs() throws IOException {
        hdfs = new MiniHdfs(RunDirectoryOutageTest.class.getSimpleName());
    }

    @AfterAll
    static void stopHdfs() {
        if (hdfs != null) {
            hdfs.close();
        }
    }

    /** A new run directory with a client whose waits are bounded as the job bounds them for {@code lease}. */
    private static RunDirectory newRun(Duration lease) throws IOException {
        Configuration conf = new Configuration(hdfs.configuration());
        FileSystemTimeouts.apply(conf, lease);
        return RunDirectory.open(hdfs.uri("/runs/run-" + UUID.randomUUID()), conf);
    }

    @Test
    void aCheckpointDueWhileTheNameNodeIsDownIsWrittenOnceItIsBack() throws Exception {
        RunDirectory run = newRun(LEASE);
        try (RunLock lock = run.lock(LEASE, RENEW_EVERY);
             LogCapture logs = new LogCapture(RunDirectory.class.getName())) {
            CheckpointStore store = run.checkpoints(3, true);
            store.write(CheckpointMetadataTest.metadata(1, 2.0), model(1), polyak(1));
            hdfs.stopNameNode();
            CompletableFuture<Void> restarted = CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(3000);
                    hdfs.restartNameNode();
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            long start = System.nanoTime();
            String written;
            try {
                written = store.write(CheckpointMetadataTest.metadata(2, 1.5), model(2), polyak(2));
            } finally {
                restarted.join();
            }
            long seconds = (System.nanoTime() - start) / 1_000_000_000;
            assertTrue(seconds >= 3, "the write waited for the NameNode: " + seconds + " s");
            assertEquals(List.of(CheckpointStore.fileName(1), CheckpointStore.fileName(2)), store.list());
            assertEquals(Optional.of(written), store.latest());
            assertEquals(2, store.open(written).metadata().iteration());
            Path checkpoint = new Path(run.checkpointsDir(), CheckpointStore.fileName(2));
            assertTrue(logs.logged("WARN", "Could not write " + checkpoint + ": ", "the file system is unavailable (",
                    "Connection refused", "trying again in"), String.join("\n", logs.lines()));
            assertTrue(logs.logged("INFO", "Wrote " + checkpoint + " at attempt"), String.join("\n", logs.lines()));
            lock.checkHeld();
        }
        assertFalse(run.fileSystem().exists(run.lockFile()), "released at the end");
    }

    @Test
    void aJobWhoseFileSystemStaysDownLosesItsLockAndWritesNothingMore() throws Exception {
        Duration lease = Duration.ofSeconds(15);
        RunDirectory run = newRun(lease);
        try (RunLock lock = run.lock(lease, RENEW_EVERY)) {
            run.appendMetrics(metrics(0));
            hdfs.stopNameNode();
            LockLostException lost;
            try {
                lost = assertThrows(LockLostException.class, () -> run.appendMetrics(metrics(1)));
            } finally {
                hdfs.restartNameNode();
            }
            assertFalse(lost.takenOver());
            assertTrue(lost.getMessage().startsWith("this job lost its lock on " + run.root() + ": no renewal "
                    + "succeeded since "), lost.getMessage());
            assertTrue(lost.getMessage().contains("Connection refused"), "the cause: " + lost.getMessage());
            assertFalse(lock.isHeld());
            assertThrows(LockLostException.class, lock::checkHeld);
            assertThrows(LockLostException.class, () -> run.appendMetrics(metrics(1)), "no write once it is lost");
        }
        assertEquals(List.of(metrics(0)), run.readMetrics(), "the write that could not be done is not there");
        assertTrue(run.fileSystem().exists(run.lockFile()), "a lost lock is left to expire");
    }

    @Test
    void readingWhileTheNameNodeIsDownFailsAndIsNotTakenForDamage() throws Exception {
        RunDirectory run = newRun(LEASE);
        CheckpointStore store = run.checkpoints(3, true);
        try (RunLock lock = run.lock(LEASE, RENEW_EVERY)) {
            store.write(CheckpointMetadataTest.metadata(1, 2.0), model(1), polyak(1));
            run.appendMetrics(metrics(0));
        }
        try (LogCapture logs = new LogCapture(CheckpointStore.class.getName())) {
            hdfs.stopNameNode();
            try {
                assertThrows(FileSystemUnavailableException.class, store::latest);
                assertThrows(FileSystemUnavailableException.class, () -> RestoredCheckpoint.newest(store),
                        "no checkpoint passed over because the file system failed");
                assertThrows(FileSystemUnavailableException.class, run::readMetrics);
            } finally {
                hdfs.restartNameNode();
            }
            assertEquals(List.of(), logs.lines(), "no manifest ignored as if it were damaged");
        }
        assertEquals(CheckpointStore.fileName(1), store.latest().orElseThrow());
    }

    @Test
    void aWriteThatFailsMidStreamThrowsItsOwnFailure() throws Exception {
        RunDirectory run = newRun(LEASE);
        try (RunLock lock = run.lock(LEASE, RENEW_EVERY)) {
            hdfs.stopDataNode();
            IOException e;
            try {
                e = assertThrows(IOException.class, () -> AtomicFiles.writeTemporary(run.fileSystem(),
                        new Path(run.root(), "file"), out -> out.write(new byte[100_000])));
            } finally {
                hdfs.restartDataNode();
            }
            assertTrue(e instanceof FileSystemUnavailableException, "the file system failed: " + e);
            assertTrue(e.getMessage().startsWith(run.root() + "/file: cannot write, the file system is unavailable ("),
                    e.getMessage());
            assertFalse(e.getMessage().contains("Self-suppression"), e.getMessage());
        }
    }
}
