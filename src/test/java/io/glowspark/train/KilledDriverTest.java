package io.glowspark.train;

import io.glowspark.checkpoint.CheckpointMetadata;
import io.glowspark.checkpoint.EpochMetrics;
import io.glowspark.checkpoint.EpochProgress;
import io.glowspark.checkpoint.RunDirectory;
import io.glowspark.cli.ExitCode;
import io.glowspark.config.Settings;
import io.glowspark.testing.LogCapture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The job as a scheduler runs it when a driver dies, is stopped, or its run directory's file system fails under it: a
 * driver process (Spark local[2]) SIGKILLed or SIGTERMed after a checkpoint, or refused its writes by the kernel, then
 * the same command started again. MNIST and the run directories on a real HDFS, or on the local disk.
 */
@Tag("slow")
class KilledDriverTest {

    private static final Logger log = LoggerFactory.getLogger(KilledDriverTest.class);
    /** A bound on waiting for a driver, far above what it takes: only a job that hangs should reach it. */
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    /**
     * The run lock's lease: a killed driver's lock is taken over this long after its last renewal. A job writes for
     * two thirds of it after a renewal, room enough for renewals slowed down by a busy machine.
     */
    private static final Duration LEASE = Duration.ofSeconds(20);

    private static HdfsRuns runs;

    @BeforeAll
    static void start() throws IOException {
        runs = new HdfsRuns("killed-driver");
    }

    @AfterEach
    void killDriversLeftRunning() throws InterruptedException {
        GlowSparkJob.killAll();
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
        CheckpointMetadata atKill = SmallRun.latest(run).metadata();
        double epoch1SecondsBeforeKill = atKill.epoch() == 0 ? atKill.progress().seconds() : 0;
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
        // The interrupted epoch's line covers all of it, the rounds before the kill included.
        EpochMetrics epoch1 = metrics.get(1);
        EpochMetrics uninterruptedEpoch1 = uninterrupted.readMetrics().get(1);
        assertEquals(uninterruptedEpoch1.trainBpd(), epoch1.trainBpd(), 1e-3 * uninterruptedEpoch1.trainBpd(),
                "train bits/dim over the whole epoch");
        assertTrue(epoch1.seconds() > epoch1SecondsBeforeKill, "the epoch's " + epoch1.seconds() + " s include the "
                + epoch1SecondsBeforeKill + " s trained before the kill");
        assertEquals(512 / epoch1.seconds(), epoch1.imagesPerSecond(), 1e-6 * epoch1.imagesPerSecond(),
                "images/s of the whole epoch");
    }

    /**
     * A run stopped part-way through an epoch, continued by the same command with fewer and with more workers: the
     * epoch goes on in its own order, with exactly the blocks not trained yet. 500 images make blocks of 31 and 32
     * images, so the images the checkpoints and metrics count show which blocks were trained.
     */
    @Test
    void aRunStoppedMidEpochContinuesOnFewerAndMoreWorkersTrainingEveryImageOnce() throws Exception {
        List<String> job = job("mid-epoch", "train.epochs=2", "data.train-limit=500", "checkpoint.lock-lease-seconds=3600");
        RunDirectory run = runs.run("mid-epoch");
        Process driver = GlowSparkJob.start("mid-epoch", job);
        GlowSparkJob.awaitCheckpoint(run, driver, TIMEOUT);
        driver.destroy();
        assertEquals(ExitCode.STOPPED.code, GlowSparkJob.exitCode(driver, TIMEOUT));
        EpochProgress stopped = SmallRun.latest(run).metadata().progress();
        assertEquals(List.of(0, 8, 16), List.of(SmallRun.latest(run).metadata().epoch(), stopped.blocksDone(),
                stopped.blocks()), "stopped after the first of two rounds of 2 workers x 4 blocks");
        EpochPlan order = EpochPlan.resume(runs.trainingSet(500), 0, stopped);
        assertEquals(imagesOfFirst(order, 8), stopped.images());

        for (int workers : new int[] {1, 3}) {
            RunDirectory copy = runs.copy("mid-epoch", "mid-epoch-" + workers + "-workers");
            List<String> resumed = new ArrayList<>(job);
            resumed.add("run.dir=" + copy.root());
            resumed.addAll(List.of("spark.workers=" + workers, "checkpoint.keep-last=20"));
            assertEquals(ExitCode.DONE, GlowSparkJob.run(resumed));

            assertEquals(List.of(500L, 1000L), copy.readMetrics().subList(1, 3).stream().map(EpochMetrics::imagesSeen)
                    .toList(), workers + " workers: each epoch trained its 500 images once");
            for (String name : copy.checkpoints(20, true).list()) {
                CheckpointMetadata m = copy.checkpoints(20, true).metadata(name);
                if (m.epoch() == 0) {
                    assertEquals(imagesOfFirst(order, m.progress().blocksDone()), m.progress().images(),
                            workers + " workers, " + name + ": the images of the first " + m.progress().blocksDone()
                                    + " blocks of the epoch's order");
                    assertEquals(m.progress().images(), m.imagesSeen());
                }
            }
        }

        RunDirectory refused = runs.copy("mid-epoch", "mid-epoch-other-data");
        Map<String, String> before = SmallRun.files(refused);
        List<String> otherData = new ArrayList<>(job);
        otherData.add("run.dir=" + refused.root());
        otherData.add("data.train-limit=400");
        try (LogCapture logs = new LogCapture("io.glowspark.cli")) {
            assertEquals(ExitCode.BAD_INPUT, GlowSparkJob.run(otherData));
            assertTrue(logs.logged("ERROR", "stopped epoch 1 after 8 of its 16 blocks", "made for 500 training images",
                    "now has 400"), String.join("\n", logs.lines()));
        }
        assertEquals(before, SmallRun.files(refused), "nothing changed");
    }

    /** The images in the first {@code blocks} blocks of an epoch's order. */
    private static long imagesOfFirst(EpochPlan order, int blocks) {
        return blocks == 0 ? 0 : order.round(0, 1, blocks).get(0).images();
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
        List<String> job = job("locked", "train.epochs=50");
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

        awaitLeaseExpiry(killedAt, LEASE);
        int epochsDone = SmallRun.latest(run).metadata().epoch();
        List<String> oneMoreEpoch = job("locked", "train.epochs=" + (epochsDone + 1));
        assertEquals(ExitCode.DONE, GlowSparkJob.run(oneMoreEpoch), "the stale lock is taken over");
        assertEquals(epochsDone + 1, SmallRun.latest(run).metadata().epoch());
        assertFalse(run.fileSystem().exists(run.lockFile()), "released at the end");
    }

    /**
     * The driver's file size limit (RLIMIT_FSIZE, set with prlimit) is lowered under the running job, so that every
     * write past the first bytes of a file fails with EFBIG, which Hadoop's local file system reports as an Error
     * (FSError), as it does a full disk. The renewal of the lock fails; the limit is lifted again, as when space is
     * freed. The job must not write anything after the failed renewal, and must end with exit 2 saying why.
     */
    @Test
    void aLockRenewalThatFailsStopsTheJobBeforeItWritesAnythingMore(@TempDir Path temp) throws Exception {
        Path runDir = temp.resolve("run");
        // Checkpoints at epoch ends only, and a lease far longer than the test: only the failed renewal stops the job.
        // 4096 images make an epoch of several seconds, long enough for the renewal to fail inside epoch 2.
        List<String> job = runs.jobAt(runDir.toUri().toString(), "data.train-limit=4096", "train.epochs=3",
                "checkpoint.lock-lease-seconds=600", "checkpoint.lock-renew-seconds=1");
        RunDirectory run = RunDirectory.open(runDir.toUri(), runs.configuration());
        Process driver = GlowSparkJob.start("lock-renewal-fails", job);
        // Epoch 1 and its checkpoint are written; nothing more is due before the end of epoch 2.
        GlowSparkJob.awaitLog("lock-renewal-fails", driver, ".zip written", TIMEOUT);

        limitFileSize(driver, "16");
        Path lock = runDir.resolve("LOCK");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (Files.size(lock) != 16 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(16, Files.size(lock), "a renewal rewrote LOCK and was cut off after 16 bytes");
        Thread.sleep(1000); // the renewal's failure has reached the job
        Map<String, String> atFailure = SmallRun.files(run);
        limitFileSize(driver, "unlimited");

        assertEquals(ExitCode.BAD_INPUT.code, GlowSparkJob.exitCode(driver, TIMEOUT));
        assertEquals(atFailure, SmallRun.files(run), "nothing written after the failed renewal");
        String log = GlowSparkJob.log("lock-renewal-fails");
        List<String> errors = log.lines().filter(line -> line.contains("ERROR GlowSparkMain")).toList();
        assertEquals(1, errors.size(), log);
        assertTrue(errors.get(0).contains("this job lost its lock on " + run.root() + ": " + run.lockFile()
                + ": cannot renew the run lock (File too large); this job stops writing"), errors.get(0));
        assertFalse(log.contains("Exception in thread"), "no thread died: " + log);
    }

    private static void limitFileSize(Process process, String bytes) throws IOException, InterruptedException {
        Process prlimit = new ProcessBuilder("prlimit", "--pid", String.valueOf(process.pid()),
                "--fsize=" + bytes + ":unlimited").inheritIO().start();
        assertTrue(prlimit.waitFor() == 0 || !process.isAlive(), "prlimit failed on a running driver");
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
