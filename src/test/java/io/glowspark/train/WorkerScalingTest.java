package io.glowspark.train;

import io.glowspark.config.Settings;
import io.glowspark.data.MnistTestFiles;
import io.glowspark.testing.LocalSpark;
import io.glowspark.testing.LogCapture;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The warning for more images per averaged step than parameter averaging was measured to use well. */
class WorkerScalingTest {

    @Test
    void noWarningUpToTheMeasuredImagesPerStep() {
        assertEquals(Optional.empty(), WorkerScaling.warning(2, 16), "local[2] with the default batch");
        assertEquals(Optional.empty(), WorkerScaling.warning(1, WorkerScaling.USEFUL_IMAGES_PER_STEP));
    }

    @Test
    void pastItTheWarningNamesTheImagesPerStepTheEpochsNeededAndTheWorkersThatKeepWithinIt() {
        String warning = WorkerScaling.warning(16, 16).orElseThrow();
        assertTrue(warning.startsWith("16 workers x 16 images per step = 256 images per averaged step, past the 32 "),
                warning);
        assertTrue(warning.contains("about 8.0x the epochs"), warning);
        assertTrue(warning.endsWith("spark.workers=2 keeps within it"), warning);
    }

    @Test
    void aBatchLargerThanTheRangeNamesTheBatch() {
        String warning = WorkerScaling.warning(1, 64).orElseThrow();
        assertTrue(warning.contains("= 64 images per averaged step"), warning);
        assertTrue(warning.endsWith("train.batch-size-per-worker=32 on one worker keeps within it"), warning);
    }

    @Test
    void aJobWithTooManyImagesPerStepWarnsWhenTrainingStarts(@TempDir Path dir) throws Exception {
        int workers = 3;
        int batch = WorkerScaling.USEFUL_IMAGES_PER_STEP / workers + 1;
        Settings settings = Settings.load(Optional.empty(), SmallRun.overrides(dir.resolve("run").toUri().toString(),
                MnistTestFiles.dir().toUri(), "data.train-limit=" + workers * batch, "data.test-limit=16",
                "spark.workers=" + workers, "train.batch-size-per-worker=" + batch, "train.init-batch-size=16"));
        try (JavaSparkContext sc = LocalSpark.start("WorkerScalingTest");
             LogCapture logs = new LogCapture(GlowTrainer.class.getName())) {
            new GlowTrainer(settings, sc).run();
            assertTrue(logs.logged("WARN " + workers + " workers x " + batch + " images per step"), logs.lines()
                    .toString());
        }
    }

    @Test
    void localModeTrainsWithTheWorkersThatKeepWithinTheRangeAndGivesTheOtherCoresToTheirThreads(@TempDir Path dir)
            throws Exception {
        Settings settings = Settings.load(Optional.empty(), SmallRun.overrides(dir.resolve("run").toUri().toString(),
                MnistTestFiles.dir().toUri(), "data.train-limit=64", "data.test-limit=16", "spark.workers=0",
                "train.batch-size-per-worker=16", "train.init-batch-size=16"));
        try (JavaSparkContext sc = new JavaSparkContext(LocalSpark.conf("WorkerScalingTest").setMaster("local[6]"));
             LogCapture logs = new LogCapture("io.glowspark.train")) {
            new GlowTrainer(settings, sc).run();
            assertTrue(logs.logged("INFO 2 workers of the 6 task threads of local[6], each with 3 OpenMP threads"),
                    logs.lines().toString());
            assertTrue(logs.lines().stream().noneMatch(line -> line.startsWith("WARN")), logs.lines().toString());
        }
        assertEquals(1, WorkerCount.inLocalMode(6, 64), "a batch past the range on its own: one worker");
        assertEquals(6, WorkerCount.openMpThreadsInLocalMode(6, 1));
        assertEquals(4, WorkerCount.inLocalMode(4, 8), "every task thread when all of them keep within the range");
        assertEquals(1, WorkerCount.openMpThreadsInLocalMode(3, 2), "never fewer than one thread");
    }
}
