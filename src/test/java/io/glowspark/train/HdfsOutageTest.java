package io.glowspark.train;

import io.glowspark.checkpoint.RunDirectory;
import io.glowspark.cli.ExitCode;
import io.glowspark.config.Settings;
import io.glowspark.data.MnistFileNames;
import io.glowspark.data.MnistTestFiles;
import io.glowspark.testing.HdfsProcess;
import io.glowspark.testing.LogCapture;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The job as a scheduler runs it (a driver process, Spark local[2]) on a run directory whose HDFS, a process of its
 * own, fails under it: stopped mid-epoch and started again with its files; stopped across a due checkpoint for as long
 * as a restart takes; frozen (SIGSTOP) for longer than the run lock's lease. Each run ends, after the same command
 * where one is needed, with every epoch once in metrics.jsonl and the model of an uninterrupted run.
 */
@Tag("slow")
class HdfsOutageTest {

    private static final Logger log = LoggerFactory.getLogger(HdfsOutageTest.class);
    /** A bound on waiting for a driver, far above what it takes: only a job that hangs should reach it. */
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final List<String> EVERY_EPOCH_ONCE = List.of("0/0/0", "1/8/512", "2/16/1024");
    /**
     * The lease of the jobs that lose their lock: the job may write for 20 s after a renewal, which even a renewal
     * slowed down by a busy machine (a few seconds) leaves room for.
     */
    private static final Duration LEASE = Duration.ofSeconds(30);

    private static HdfsProcess hdfs;
    private static URI mnistOnHdfs;
    private static URI localMnist;
    private static RunDirectory uninterrupted;

    @BeforeAll
    static void start() throws Exception {
        hdfs = HdfsProcess.start("outage");
        localMnist = MnistTestFiles.dir().toUri();
        MnistFileNames names = MnistFileNames.STANDARD;
        for (String file : List.of(names.trainImages(), names.trainLabels(), names.testImages(), names.testLabels())) {
            hdfs.fileSystem().copyFromLocalFile(new Path(MnistTestFiles.dir().resolve(file).toUri()),
                    new Path("/datasets/mnist/" + file));
        }
        mnistOnHdfs = hdfs.uri("/datasets/mnist");
        assertEquals(ExitCode.DONE, GlowSparkJob.run(job("uninterrupted", localMnist)));
        uninterrupted = run("uninterrupted");
        assertEquals(EVERY_EPOCH_ONCE, SmallRun.positions(uninterrupted.readMetrics()));
    }

    @AfterEach
    void restoreHdfs() throws Exception {
        GlowSparkJob.killAll();
        hdfs.ensureRunning();
    }

    @AfterAll
    static void stop() {
        if (hdfs != null) {
            hdfs.close();
        }
    }

    /** Two epochs of 512 images in rounds of 4 iterations with a checkpoint after each, data from {@code data}. */
    private static List<String> job(String name, URI data, String... more) {
        List<String> overrides = SmallRun.overrides(hdfs.uri("/runs/" + name).toString(), data,
                "data.train-limit=512", "data.test-limit=128", "train.epochs=2", "checkpoint.every-iterations=4");
        overrides.addAll(List.of(more));
        return overrides;
    }

    private static RunDirectory run(String name) throws IOException {
        return RunDirectory.open(hdfs.uri("/runs/" + name), hdfs.configuration());
    }

    /** HDFS killed mid-epoch, its data files on it too: exit 5 with the cause; once it is back, the same command. */
    @Test
    void hdfsStoppedMidEpochEndsTheJobWithExit5AndTheSameCommandFinishesTheRunOnceItIsBack() throws Exception {
        List<String> job = job("stopped", mnistOnHdfs, "checkpoint.lock-lease-seconds=" + LEASE.toSeconds(),
                "checkpoint.lock-renew-seconds=1");
        Process driver = GlowSparkJob.start("hdfs-stopped", job);
        GlowSparkJob.awaitLog("hdfs-stopped", driver, "checkpoint ckpt-000000000004.zip written", TIMEOUT);
        hdfs.stop();
        long stoppedAt = System.nanoTime();

        int exit = GlowSparkJob.exitCode(driver, TIMEOUT);
        String driverLog = GlowSparkJob.log("hdfs-stopped");
        log.info("the driver exited with {} {} s after HDFS stopped", exit, (System.nanoTime() - stoppedAt) / 1e9);
        assertEquals(ExitCode.UNAVAILABLE.code, exit, driverLog);
        String error = theOneError(driverLog);
        assertTrue(error.contains(hdfs.uri("/").toString()), "names a path on the HDFS that stopped: " + error);
        assertFalse(error.contains("Job aborted"), "the failure, not Spark's report of it: " + error);
        assertTrue(Stream.of("Connection refused", "End of File Exception between", "Broken pipe", "Connection reset")
                .anyMatch(error::contains), "the cause, as the dying NameNode left the call: " + error);
        assertTrue(error.endsWith("; nothing was lost: run the same command again later"), error);
        assertFalse(driverLog.contains("Self-suppression"), driverLog);

        hdfs.restart();
        awaitLeaseExpiry(stoppedAt, LEASE);
        assertEquals(ExitCode.DONE, GlowSparkJob.run(job), "the same command once HDFS is back");
        assertEveryEpochOnceAndTheModelOfAnUninterruptedRun(run("stopped"), job);
    }

    /**
     * HDFS killed after a checkpoint and started again only once the next checkpoint has failed: the job trains on
     * (its data is local), tries the checkpoint again until HDFS is back, and finishes without a restart.
     */
    @Test
    void hdfsStoppedAcrossADueCheckpointForAsLongAsARestartTakesIsRiddenThrough() throws Exception {
        // A lease longer than a restart of HDFS takes on a busy machine: the job may write for 400 s after a renewal.
        List<String> job = job("ridden-through", localMnist, "checkpoint.lock-lease-seconds=600",
                "checkpoint.lock-renew-seconds=1");
        Process driver = GlowSparkJob.start("hdfs-restarted", job);
        GlowSparkJob.awaitLog("hdfs-restarted", driver, "checkpoint ckpt-000000000004.zip written", TIMEOUT);
        hdfs.stop();
        long stoppedAt = System.nanoTime();
        GlowSparkJob.awaitLog("hdfs-restarted", driver, "Could not write " + run("ridden-through").checkpointsDir()
                + "/ckpt-000000000008.zip: ", TIMEOUT);
        hdfs.restart();
        log.info("HDFS was down for {} s", (System.nanoTime() - stoppedAt) / 1e9);

        assertEquals(0, GlowSparkJob.exitCode(driver, TIMEOUT));
        String driverLog = GlowSparkJob.log("hdfs-restarted");
        assertTrue(driverLog.contains("ckpt-000000000008.zip at attempt"), "written once HDFS was back");
        assertFalse(driverLog.contains("ERROR GlowSparkMain"), driverLog);
        assertEveryEpochOnceAndTheModelOfAnUninterruptedRun(run("ridden-through"), job);
    }

    /**
     * HDFS frozen after a checkpoint for longer than the lease: the job's calls time out, it stops writing when no
     * renewal has succeeded for two thirds of the lease and ends while HDFS is still frozen; after the lease, a second
     * job takes the run over and finishes it.
     */
    @Test
    void hdfsFrozenLongerThanTheLeaseStopsTheJobWhichNeverWritesAgainAndASecondJobTakesOver() throws Exception {
        // Checkpoints at the end of epochs only: nothing is due right after the first one.
        List<String> job = job("frozen", localMnist, "checkpoint.every-iterations=0",
                "checkpoint.lock-lease-seconds=" + LEASE.toSeconds(), "checkpoint.lock-renew-seconds=1");
        RunDirectory run = run("frozen");
        Process driver = GlowSparkJob.start("hdfs-frozen", job);
        GlowSparkJob.awaitLog("hdfs-frozen", driver, "checkpoint ckpt-000000000008.zip written", TIMEOUT);
        long frozenAtMillis = System.currentTimeMillis();
        hdfs.freeze();
        long frozenAt = System.nanoTime();

        int exit = GlowSparkJob.exitCode(driver, TIMEOUT);
        double secondsToExit = (System.nanoTime() - frozenAt) / 1e9;
        String driverLog = GlowSparkJob.log("hdfs-frozen");
        log.info("the driver exited with {} {} s after HDFS froze", exit, secondsToExit);
        assertEquals(ExitCode.UNAVAILABLE.code, exit, driverLog);
        assertTrue(theOneError(driverLog).contains("this job lost its lock on " + run.root() + ": no renewal "
                + "succeeded since "), driverLog);
        awaitLeaseExpiry(frozenAt, LEASE); // frozen for longer than the lease
        hdfs.thaw();
        long thawedAt = System.nanoTime();

        // A call sent as HDFS froze may be done as it thaws: a temporary file may appear, which is never read and
        // which the next writer deletes.
        List<String> writtenWhileFrozen = filesModifiedSince(run, frozenAtMillis).stream()
                .filter(f -> !f.contains("/.")).toList();
        assertEquals(List.of(), writtenWhileFrozen, "nothing of the run written after HDFS froze");
        // A renewal sent as HDFS froze may be done as it thaws, and leave the lock file empty: such a file expires
        // one lease after it was written.
        awaitLeaseExpiry(thawedAt, LEASE);
        try (LogCapture logs = new LogCapture("io.glowspark.checkpoint")) {
            assertEquals(ExitCode.DONE, GlowSparkJob.run(job), "a second job");
            assertTrue(logs.logged("WARN", "Taking over " + run.lockFile() + ": the lease of "),
                    String.join("\n", logs.lines()));
        }
        assertEveryEpochOnceAndTheModelOfAnUninterruptedRun(run, job);
        assertEquals(List.of(), filesModifiedSince(run, 0).stream().filter(f -> f.contains("/.")).toList(),
                "no temporary file left");
    }

    /** The one error line of the driver's log, from GlowSparkMain. */
    private static String theOneError(String driverLog) {
        List<String> errors = driverLog.lines().filter(line -> line.contains("ERROR GlowSparkMain")).toList();
        assertEquals(1, errors.size(), driverLog);
        return errors.get(0);
    }

    private static void assertEveryEpochOnceAndTheModelOfAnUninterruptedRun(RunDirectory run, List<String> job)
            throws IOException {
        assertEquals(EVERY_EPOCH_ONCE, SmallRun.positions(run.readMetrics()), "each epoch once in metrics.jsonl");
        INDArray initial = SmallRun.initializedNetwork(Settings.load(Optional.empty(), job),
                hdfs.configuration()).params();
        double relative = SmallRun.relativeDifference(SmallRun.latestParameters(run),
                SmallRun.latestParameters(uninterrupted), initial);
        double relativePolyak = SmallRun.relativeDifference(SmallRun.latestPolyakParameters(run),
                SmallRun.latestPolyakParameters(uninterrupted), initial);
        log.info("{} against the uninterrupted run: relative difference {}, of the Polyak averages {}", run.root(),
                relative, relativePolyak);
        assertTrue(relative < 1e-4, "|run - uninterrupted| / |uninterrupted - initial| = " + relative);
        assertTrue(relativePolyak < 1e-4, "Polyak averages: relative difference " + relativePolyak);
    }

    /** The run's files, but its LOCK, modified at or after {@code millis}, with when. */
    private static List<String> filesModifiedSince(RunDirectory run, long millis) throws IOException {
        List<String> files = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> it = run.fileSystem().listFiles(run.root(), true);
        while (it.hasNext()) {
            LocatedFileStatus f = it.next();
            if (!f.getPath().equals(run.lockFile()) && f.getModificationTime() >= millis) {
                files.add(f.getPath() + " at " + Instant.ofEpochMilli(f.getModificationTime()));
            }
        }
        return files;
    }

    /** Sleeps until a lease renewed last before {@code sinceNanos} has expired, with a second to spare. */
    private static void awaitLeaseExpiry(long sinceNanos, Duration lease) throws InterruptedException {
        Thread.sleep(Math.max(0, (sinceNanos + lease.plusSeconds(1).toNanos() - System.nanoTime()) / 1_000_000));
    }
}
