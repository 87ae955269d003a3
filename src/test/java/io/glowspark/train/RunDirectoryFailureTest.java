package io.glowspark.train;

import io.glowspark.checkpoint.RunDirectory;
import io.glowspark.cli.ExitCode;
import io.glowspark.testing.LogCapture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The run directory's file system failing under the job, for real: the kernel refusing a driver's writes as it does on
 * a full disk, and run directories where none can be. MNIST on a real HDFS, the run directories on the local disk.
 */
@Tag("slow")
class RunDirectoryFailureTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private static HdfsRuns runs;

    @BeforeAll
    static void start() throws IOException {
        runs = new HdfsRuns("run-directory-failure");
    }

    @AfterAll
    static void stop() {
        if (runs != null) {
            runs.close();
        }
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
        List<String> job = runs.jobAt(runDir.toUri().toString(), "data.train-limit=1024", "train.epochs=3",
                "checkpoint.lock-lease-seconds=600", "checkpoint.lock-renew-seconds=1");
        RunDirectory run = RunDirectory.open(runDir.toUri(), runs.configuration());
        Process driver = GlowSparkJob.start("lock-renewal-fails", job);
        // Epoch 1 and its checkpoint are written; nothing more is due before the end of epoch 2.
        GlowSparkJob.awaitLog("lock-renewal-fails", driver, "epoch 2/3 round 1/", TIMEOUT);

        limitFileSize(driver, "16");
        Path lock = runDir.resolve("LOCK");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
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
        assertTrue(errors.get(0).contains(lock.toUri().getPath() + ": could not renew the run lock, so this job stops "
                + "writing (File too large)"), errors.get(0));
        assertFalse(log.contains("Exception in thread"), "no thread died: " + log);
    }

    @Test
    void aRunDirectoryUnderAFileIsRefusedInOneLineAndNothingIsCreated(@TempDir Path temp) throws IOException {
        Path file = Files.writeString(temp.resolve("file"), "not a directory");
        try (LogCapture logs = new LogCapture("io.glowspark.cli")) {
            assertEquals(ExitCode.BAD_INPUT, GlowSparkJob.run(runs.jobAt(file.resolve("run").toUri().toString())));
            assertTrue(logs.logged("ERROR", "file:" + file.resolve("run") + ": cannot create the run directory"),
                    String.join("\n", logs.lines()));
        }
        assertEquals(List.of(file), Files.list(temp).toList());
        assertEquals("not a directory", Files.readString(file));
    }

    private static void limitFileSize(Process process, String bytes) throws IOException, InterruptedException {
        Process prlimit = new ProcessBuilder("prlimit", "--pid", String.valueOf(process.pid()),
                "--fsize=" + bytes + ":unlimited").inheritIO().start();
        assertTrue(prlimit.waitFor() == 0 || !process.isAlive(), "prlimit failed on a running driver");
    }
}
