package io.glowspark.train;

import io.glowspark.checkpoint.EpochMetrics;
import io.glowspark.checkpoint.RunDirectory;
import io.glowspark.cli.ExitCode;
import io.glowspark.config.Settings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The job as a scheduler runs it when a driver dies: a driver process (Spark local[2]) SIGKILLed after a checkpoint,
 * then the same command started again. MNIST and the run directories on a real HDFS.
 */
@Tag("slow")
class KilledDriverTest {

    private static final Logger log = LoggerFactory.getLogger(KilledDriverTest.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    /** The run lock's lease: a killed driver's lock is taken over this long after its last renewal. */
    private static final Duration LEASE = Duration.ofSeconds(3);

    private static HdfsRuns runs;

    @BeforeAll
    static void start() throws IOException {
        runs = new HdfsRuns("killed-driver");
    }

    @AfterAll
    static void stop() {
        if (runs != null) {
            runs.close();
        }
    }

    /** A checkpoint after every averaging round, the short lease, then {@code more}. */
    private static List<String> job(String name, String... more) throws IOException {
        List<String> overrides = runs.job(name, "checkpoint.every-iterations=4",
                "checkpoint.lock-lease-seconds=" + LEASE.toSeconds(), "checkpoint.lock-renew-seconds=1");
        overrides.addAll(List.of(more));
        return overrides;
    }

    @Test
    void aDriverKilledAfterACheckpointResumesToTheParametersOfAnUninterruptedRun() throws Exception {
        assertEquals(ExitCode.DONE, GlowSparkJob.run(job("uninterrupted", "train.epochs=2")));

        List<String> interrupted = job("interrupted", "train.epochs=2");
        RunDirectory run = runs.run("interrupted");
        Process driver = GlowSparkJob.start("interrupted", interrupted);
        GlowSparkJob.awaitCheckpoint(run, driver, TIMEOUT);
        GlowSparkJob.kill(driver);
        log.info("killed the driver after its first checkpoint; checkpoints/ holds {}", listing(run));
        awaitLeaseExpiry(System.nanoTime(), LEASE);
        assertEquals(0, GlowSparkJob.exitCode(GlowSparkJob.start("interrupted-resumed", interrupted), TIMEOUT));

        RunDirectory uninterrupted = runs.run("uninterrupted");
        INDArray expected = SmallRun.latestParameters(uninterrupted);
        INDArray actual = SmallRun.latestParameters(run);
        INDArray initial = SmallRun.initializedNetwork(Settings.load(Optional.empty(), interrupted), runs.configuration()).params();
        double relative = SmallRun.relativeDifference(actual, expected, initial);
        log.info("interrupted vs uninterrupted: relative difference {}, bit-identical {}", relative, actual.equals(expected));
        assertTrue(relative < 1e-4, "|interrupted - uninterrupted| / |uninterrupted - initial| = " + relative);
        // Resuming restores the Polyak average too; restarting it would drop the first epoch's 8 iterations from it
        double relativePolyak = SmallRun.relativeDifference(SmallRun.latestPolyakParameters(run),
                SmallRun.latestPolyakParameters(uninterrupted), initial);
        assertTrue(relativePolyak < 1e-4, "Polyak averages: relative difference " + relativePolyak);
        List<EpochMetrics> metrics = run.readMetrics();
        assertEquals(List.of("0/0/0", "1/8/512", "2/16/1024"), SmallRun.positions(metrics), "one line each: " + metrics);
        assertEquals(SmallRun.positions(uninterrupted.readMetrics()), SmallRun.positions(metrics));
    }

    @Test
    void aDriverStoppedWithSigtermReleasesItsLockSoTheSameCommandResumesAtOnce() throws Exception {
        // A lease far longer than the test: only an explicit release lets the second start in.
        List<String> job = job("terminated", "train.epochs=2", "checkpoint.lock-lease-seconds=3600");
        RunDirectory run = runs.run("terminated");
        Process driver = GlowSparkJob.start("terminated", job);
        GlowSparkJob.awaitCheckpoint(run, driver, TIMEOUT);
        driver.destroy(); // SIGTERM, the way YARN, Kubernetes and workflow schedulers stop a job

        assertEquals(ExitCode.STOPPED.code, GlowSparkJob.exitCode(driver, TIMEOUT));
        String driverLog = GlowSparkJob.log("terminated");
        assertTrue(driverLog.contains("stopped by a signal"), "the driver log says why it stopped");
        assertFalse(driverLog.contains("unexpected error"), "a stop is not reported as a crash");
        assertFalse(run.fileSystem().exists(run.lockFile()), "the lock was released on HDFS before Hadoop shut down");
        assertFalse(run.checkpoints(3, true).list().isEmpty(), "the checkpoint written before the stop is kept");

        assertEquals(ExitCode.DONE, GlowSparkJob.run(job), "the same command resumes at once");
        assertEquals(List.of("0/0/0", "1/8/512", "2/16/1024"), SmallRun.positions(run.readMetrics()));
    }

    @Test
    void aSecondJobIsRefusedWhileTheLockIsHeldAndTakesOverOnceTheLeaseOfAKilledOwnerExpired() throws Exception {
        Duration lease = Duration.ofSeconds(12);
        List<String> job = job("locked", "train.epochs=50", "checkpoint.lock-lease-seconds=" + lease.toSeconds());
        RunDirectory run = runs.run("locked");
        Process owner = GlowSparkJob.start("lock-owner", job);
        GlowSparkJob.awaitCheckpoint(run, owner, TIMEOUT);

        assertEquals(ExitCode.LOCKED, GlowSparkJob.run(job));
        assertTrue(owner.isAlive(), "the first job trains on");
        assertTrue(lockFile(run).contains("\"pid\":" + owner.pid()), "the lock is still the first job's: " + lockFile(run));

        GlowSparkJob.kill(owner);
        long killedAt = System.nanoTime();
        Map<String, String> before = SmallRun.files(run);
        assertTrue(before.containsKey(run.lockFile().toString()), "a killed job leaves its LOCK: " + before.keySet());
        assertEquals(ExitCode.LOCKED, GlowSparkJob.run(job), "the dead owner's lease has not expired yet");
        assertEquals(before, SmallRun.files(run), "the refused job changed nothing");

        awaitLeaseExpiry(killedAt, lease);
        int epochsDone = run.checkpoints(3, true).latestLoadable().orElseThrow().metadata().epoch();
        List<String> oneMoreEpoch = job("locked", "train.epochs=" + (epochsDone + 1),
                "checkpoint.lock-lease-seconds=" + lease.toSeconds());
        assertEquals(ExitCode.DONE, GlowSparkJob.run(oneMoreEpoch), "the stale lock is taken over");
        assertEquals(epochsDone + 1, run.checkpoints(3, true).latestLoadable().orElseThrow().metadata().epoch());
        assertFalse(run.fileSystem().exists(run.lockFile()), "released at the end");
    }

    /** Sleeps until a lease renewed last before {@code killedAtNanos} has expired, with a second to spare. */
    private static void awaitLeaseExpiry(long killedAtNanos, Duration lease) throws InterruptedException {
        Thread.sleep(Math.max(0, (killedAtNanos + lease.plusSeconds(1).toNanos() - System.nanoTime()) / 1_000_000));
    }

    private static List<String> listing(RunDirectory run) throws IOException {
        return Arrays.stream(run.fileSystem().listStatus(run.checkpointsDir()))
                .map(s -> s.getPath().getName() + " (" + s.getLen() + " bytes)").toList();
    }

    private static String lockFile(RunDirectory run) throws IOException {
        try (var in = run.fileSystem().open(run.lockFile())) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
