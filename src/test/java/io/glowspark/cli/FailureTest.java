package io.glowspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.glowspark.checkpoint.FileSystemTimeouts;
import io.glowspark.checkpoint.RunDirectory;
import io.glowspark.checkpoint.RunLock;
import io.glowspark.data.DataException;
import io.glowspark.data.LabeledImages;
import io.glowspark.data.MnistFileNames;
import io.glowspark.data.MnistTestFiles;
import io.glowspark.data.Shard;
import io.glowspark.testing.LocalSpark;
import io.glowspark.testing.LogCapture;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The one mapping from failure to exit code, for failures provoked for real. */
class FailureTest {

    @TempDir
    Path dir;

    @Test
    void aDataErrorInsideASparkTaskIsBadInputNamingTheFileInOneLine() throws IOException {
        MnistFileNames names = MnistFileNames.STANDARD;
        for (String name : List.of(names.testImages(), names.testLabels())) {
            Files.copy(MnistTestFiles.dir().resolve(name), dir.resolve(name));
        }
        LabeledImages test = LabeledImages.open(dir.toUri(), names.testImages(), names.testLabels(), new Configuration());
        try (RandomAccessFile images = new RandomAccessFile(dir.resolve(names.testImages()).toFile(), "rw")) {
            images.setLength(images.length() / 2); // damaged after the driver checked it
        }
        Shard last = test.shards(2).get(1);
        SparkException e;
        try (JavaSparkContext sc = LocalSpark.start("FailureTest")) {
            e = assertThrows(SparkException.class, () -> sc.parallelize(List.of(last), 1)
                    .map(shard -> shard.read(new Configuration()).count()).collect());
        }
        Failure failure = Failure.of(e);
        assertEquals(ExitCode.BAD_INPUT, failure.code());
        assertEquals("bad configuration or input: file:" + dir.resolve(names.testImages())
                + ": truncated: ended before the size its header declares", failure.message());
        assertNull(failure.trace(), "no stack trace for the user's input");
    }

    /** A NameNode address where nothing listens, as when the NameNode is down: exit 5 at once, with the cause. */
    @Test
    void aFileSystemThatIsDownIsUnavailableWithItsCauseInOneLine() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Configuration conf = new Configuration();
        FileSystemTimeouts.apply(conf, Duration.ofSeconds(60));
        MnistFileNames names = MnistFileNames.STANDARD;
        URI data = URI.create("hdfs://127.0.0.1:" + port + "/mnist");
        DataException e;
        try (LogCapture ipc = new LogCapture("org.apache.hadoop.ipc")) {
            e = assertThrows(DataException.class, () -> LabeledImages.open(data, names.trainImages(),
                    names.trainLabels(), conf));
            assertFalse(ipc.logged("Retrying connect"), "the client tries once: " + ipc.lines());
        }
        // Hadoop's default, 10 more attempts a second apart, takes 10 s or more; once tried, a refused one takes none.
        long start = System.nanoTime();
        assertThrows(DataException.class, () -> LabeledImages.open(data, names.trainImages(), names.trainLabels(), conf));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < 5, "no connection attempts repeated by the client: " + seconds + " s");

        Failure failure = Failure.of(e);
        assertEquals(ExitCode.UNAVAILABLE, failure.code());
        assertTrue(failure.message().startsWith("the file system is unavailable: hdfs://127.0.0.1:" + port
                + "/mnist/" + names.trainImages() + ": cannot access: java.net.ConnectException: "), failure.message());
        assertTrue(failure.message().endsWith("Connection refused; nothing was lost: run the same command again "
                + "later"), failure.message());
        assertEquals(1, failure.message().lines().count());
        assertNull(failure.trace());
    }

    /**
     * A NameNode that accepts connections and never answers, as a frozen one does (the kernel completes connections
     * into the listening socket's backlog): Hadoop's client waits forever by default; bounded, the call fails after a
     * sixth of the lease.
     */
    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES) // without the bound, the call never returns
    void aNameNodeThatNeverAnswersIsUnavailableWithinTheBoundOfTheLease() throws IOException {
        Duration lease = Duration.ofSeconds(18);
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Configuration conf = new Configuration();
            FileSystemTimeouts.apply(conf, lease);
            FileSystem fs = FileSystem.newInstance(URI.create("hdfs://127.0.0.1:" + silent.getLocalPort()), conf);
            long start = System.nanoTime();
            IOException e = assertThrows(IOException.class, () -> fs.listStatus(new org.apache.hadoop.fs.Path("/")));
            double seconds = (System.nanoTime() - start) / 1e9;
            fs.close();
            assertTrue(seconds > 2.5 && seconds < 6, "waited a sixth of the lease (3 s) for the answer: " + seconds);

            Failure failure = Failure.of(e);
            assertEquals(ExitCode.UNAVAILABLE, failure.code());
            assertTrue(failure.message().contains("3000 millis timeout while waiting for channel to be ready for read"),
                    failure.message());
        }
    }

    @Test
    void aJobWhoseLockAnotherJobTookOverExitsAsLockedNamingTheOtherJob() throws Exception {
        RunDirectory run = RunDirectory.open(dir.resolve("run").toUri(), new Configuration());
        // Written well before the first renewal, which would otherwise overwrite it if it read the lock just before.
        try (RunLock lock = run.lock(Duration.ofSeconds(60), Duration.ofSeconds(5))) {
            try (FSDataOutputStream out = run.fileSystem().create(run.lockFile(), true)) {
                out.write(("{\"owner\":{\"host\":\"other-host\",\"pid\":4242,\"startedMillis\":0,\"token\":\"t\"},"
                        + "\"leaseExpiresMillis\":" + (System.currentTimeMillis() + 60_000) + "}").getBytes(UTF_8));
            }
            long deadline = System.currentTimeMillis() + 30_000;
            while (lock.isHeld() && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            Failure failure = Failure.of(assertThrows(IOException.class, lock::checkHeld));
            assertEquals(ExitCode.LOCKED, failure.code());
            assertTrue(failure.message().startsWith("this job lost its lock on " + run.root() + ": pid 4242 on "
                    + "other-host (locked since 1970-01-01T00:00:00Z) took it over"), failure.message());
        }
    }

    @Test
    void aFullDiskIsBadInputAndAnythingElseUnexpected() throws IOException {
        FileSystem local = FileSystem.getLocal(new Configuration()).getRawFileSystem();
        // The kernel's full-disk error, ENOSPC, which Hadoop's local file system turns into an Error (FSError).
        Error full = assertThrows(Error.class, () -> {
            try (FSDataOutputStream out = local.create(new org.apache.hadoop.fs.Path("/dev/full"), true)) {
                out.write(new byte[1 << 16]);
            }
        });
        Failure failure = Failure.of(full);
        assertEquals(ExitCode.BAD_INPUT, failure.code());
        assertEquals("the file system refused: No space left on device",
                failure.message());

        IllegalStateException bug = new IllegalStateException("a bug");
        assertEquals(ExitCode.UNEXPECTED, Failure.of(bug).code());
        assertEquals(bug, Failure.of(bug).trace(), "an unexpected error keeps its stack trace for the log");
    }
}
