package io.glowspark.train;

import io.glowspark.checkpoint.Checkpoint;
import io.glowspark.checkpoint.CheckpointStore;
import io.glowspark.checkpoint.EpochMetrics;
import io.glowspark.checkpoint.RunDirectory;
import io.glowspark.checkpoint.RunLock;
import io.glowspark.cli.ExitCode;
import io.glowspark.config.Settings;
import io.glowspark.layer.GlowNetwork;
import io.glowspark.testing.LogCapture;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The job started again on a run directory in every state a scheduler meets: complete, with a damaged latest
 * checkpoint, of another model, and a run that diverges. GlowSparkMain in this JVM, Spark local[2], HDFS.
 */
@Tag("slow")
class RestartTest {

    private static HdfsRuns runs;

    @BeforeAll
    static void start() throws IOException {
        runs = new HdfsRuns("restart");
    }

    @AfterAll
    static void stop() {
        if (runs != null) {
            runs.close();
        }
    }

    @Test
    void aCompleteRunStartedAgainDoesNothingAndMoreEpochsExtendIt() throws IOException {
        assertEquals(ExitCode.DONE, GlowSparkJob.run(runs.job("complete", "train.epochs=1")));
        RunDirectory run = runs.run("complete");
        Map<String, String> complete = SmallRun.files(run);
        List<EpochMetrics> metrics = run.readMetrics();

        assertEquals(ExitCode.DONE, GlowSparkJob.run(runs.job("complete", "train.epochs=1")));
        assertEquals(complete, SmallRun.files(run), "nothing written");

        // Extended with a step decay after epoch 1: the second epoch trains at half the peak rate.
        assertEquals(ExitCode.DONE, GlowSparkJob.run(runs.job("complete", "train.epochs=2", "train.decay-epochs=[1]",
                "train.decay-factor=0.5")));
        List<EpochMetrics> extended = run.readMetrics();
        assertEquals(metrics, extended.subList(0, 2), "the first epoch's lines are kept");
        assertEquals(List.of("0/0/0", "1/8/512", "2/16/1024"), SmallRun.positions(extended));
        assertEquals(2e-3, extended.get(1).learningRate(), 1e-9);
        assertEquals(1e-3, extended.get(2).learningRate(), 1e-9);
        assertEquals(2, SmallRun.latest(run).metadata().epoch());

        // Resumed on images of another size: refused before anything is written.
        Map<String, String> extendedFiles = SmallRun.files(run);
        URI padded = runs.syntheticData("32x32", 32, 9);
        try (LogCapture logs = new LogCapture("io.glowspark.cli")) {
            assertEquals(ExitCode.BAD_INPUT, GlowSparkJob.run(runs.job("complete", "train.epochs=3", "data.dir=" + padded)));
            assertTrue(logs.logged("ERROR", padded + "/train-images-idx3-ubyte: wrong image size: 32x32, the model is "
                    + "configured for MNIST's 28x28 images"), String.join("\n", logs.lines()));
        }
        assertEquals(extendedFiles, SmallRun.files(run), "nothing written");
    }

    /**
     * A class-conditional run (class embeddings on the top and the split priors) extended by a second epoch resumes
     * from its checkpoint to the parameters of a run that trained both epochs at once, the class embeddings
     * included; an unconditional job on its run directory is a job of another model.
     */
    @Test
    void aClassConditionalRunResumesToTheParametersOfAnUninterruptedOne() throws IOException {
        String[] conditional = {"model.conditional=true", "model.conditional-split-priors=true"};
        assertEquals(ExitCode.DONE, GlowSparkJob.run(runs.job("conditional-uninterrupted", with(conditional, "train.epochs=2"))));
        assertEquals(ExitCode.DONE, GlowSparkJob.run(runs.job("conditional", with(conditional, "train.epochs=1"))));
        RunDirectory run = runs.run("conditional");
        Map<String, String> afterOneEpoch = SmallRun.files(run);
        try (LogCapture logs = new LogCapture("io.glowspark.cli")) {
            assertEquals(ExitCode.BAD_INPUT, GlowSparkJob.run(runs.job("conditional", "train.epochs=2")));
            assertTrue(logs.logged("ERROR", run.root().toString(), "run.fresh=true"), String.join("\n", logs.lines()));
        }
        assertEquals(afterOneEpoch, SmallRun.files(run), "nothing changed by the unconditional job");

        try (LogCapture logs = new LogCapture("io.glowspark")) {
            assertEquals(ExitCode.DONE, GlowSparkJob.run(runs.job("conditional", with(conditional, "train.epochs=2"))));
            assertTrue(logs.logged("resuming from " + CheckpointStore.fileName(8)), String.join("\n", logs.lines()));
        }
        assertEquals(List.of("0/0/0", "1/8/512", "2/16/1024"), SmallRun.positions(run.readMetrics()));
        RunDirectory uninterrupted = runs.run("conditional-uninterrupted");
        INDArray initial = SmallRun.initializedNetwork(Settings.load(Optional.empty(),
                runs.job("conditional", conditional)), runs.configuration()).params();
        double relative = SmallRun.relativeDifference(SmallRun.latestParameters(run),
                SmallRun.latestParameters(uninterrupted), initial);
        assertTrue(relative < 1e-4, "|resumed - uninterrupted| / |uninterrupted - initial| = " + relative);
        for (String embedding : List.of("L0.split.class.embedding", "L1.top.class.embedding")) {
            double[] resumed = classEmbedding(run, embedding);
            assertTrue(Arrays.stream(resumed).anyMatch(v -> Math.abs(v) > 1e-4), embedding + " trained away from zero");
            assertArrayEquals(classEmbedding(uninterrupted, embedding), resumed, 1e-4 * Arrays.stream(resumed)
                    .map(Math::abs).max().orElseThrow(), embedding);
        }
    }

    private static String[] with(String[] overrides, String... more) {
        return Stream.concat(Arrays.stream(overrides), Arrays.stream(more)).toArray(String[]::new);
    }

    private static double[] classEmbedding(RunDirectory run, String name) throws IOException {
        return SmallRun.latest(run).glow().parameters().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no parameter " + name)).value().castTo(DataType.DOUBLE)
                .dup().ravel().toDoubleVector();
    }

    @Test
    void badDataIsRefusedBeforeTheRunDirectoryIsCreated() throws IOException {
        for (int side : new int[] {29, 32}) {
            URI data = runs.syntheticData(side + "x" + side, side, 9);
            try (LogCapture logs = new LogCapture("io.glowspark.cli")) {
                assertEquals(ExitCode.BAD_INPUT, GlowSparkJob.run(runs.job("bad-data", "data.dir=" + data)));
                assertTrue(logs.logged("ERROR", "wrong image size: " + side + "x" + side), String.join("\n", logs.lines()));
            }
        }
        URI labels = runs.syntheticData("label-10", 28, 10);
        try (LogCapture logs = new LogCapture("io.glowspark.cli")) {
            assertEquals(ExitCode.BAD_INPUT, GlowSparkJob.run(runs.job("bad-data", "data.dir=" + labels)));
            assertTrue(logs.logged("ERROR", "label 10 of item 10 is not a digit 0..9"), String.join("\n", logs.lines()));
        }
        RunDirectory run = runs.run("bad-data");
        assertFalse(run.fileSystem().exists(run.root()), "no run directory");
    }

    @Test
    void aTruncatedLatestCheckpointIsSkippedWithAWarningAndTheRunResumesFromThePreviousOne() throws IOException {
        assertEquals(ExitCode.DONE, GlowSparkJob.run(runs.job("truncated", "train.epochs=1", "checkpoint.every-iterations=4")));
        RunDirectory run = runs.run("truncated");
        CheckpointStore store = run.checkpoints(3, true);
        String previous = CheckpointStore.fileName(4);
        String latest = CheckpointStore.fileName(8);
        assertEquals(List.of(previous, latest), store.list());
        truncateToHalf(run, new Path(run.checkpointsDir(), latest));

        try (LogCapture logs = new LogCapture("io.glowspark")) {
            assertEquals(ExitCode.DONE, GlowSparkJob.run(runs.job("truncated", "train.epochs=2", "checkpoint.every-iterations=4")));
            assertTrue(logs.logged("WARN", "Passing over a checkpoint that cannot be used", latest, "truncated"),
                    String.join("\n", logs.lines()));
            assertTrue(logs.logged("resuming from " + previous), String.join("\n", logs.lines()));
        }
        assertEquals(List.of("0/0/0", "1/8/512", "2/16/1024"), SmallRun.positions(run.readMetrics()));
        assertEquals(16, SmallRun.latest(run).metadata().iteration());
    }

    @Test
    void aLatestCheckpointWithNanParametersIsSkippedWithAWarningAndTheRunResumesFromThePreviousOne() throws IOException {
        assertEquals(ExitCode.DONE, GlowSparkJob.run(runs.job("nan", "train.epochs=1", "checkpoint.every-iterations=4")));
        RunDirectory run = runs.run("nan");
        String latest = CheckpointStore.fileName(8);
        poison(run, latest);

        try (LogCapture logs = new LogCapture("io.glowspark")) {
            assertEquals(ExitCode.DONE, GlowSparkJob.run(runs.job("nan", "train.epochs=2", "checkpoint.every-iterations=4")));
            assertTrue(logs.logged("WARN", latest, "the parameters contain NaN"), String.join("\n", logs.lines()));
            assertTrue(logs.logged("resuming from " + CheckpointStore.fileName(4)), String.join("\n", logs.lines()));
        }
        assertEquals(List.of("0/0/0", "1/8/512", "2/16/1024"), SmallRun.positions(run.readMetrics()));
    }

    @Test
    void aRunDirectoryFileChangedBehindItsChecksumIsRefusedNamingTheFile(@TempDir java.nio.file.Path temp) throws IOException {
        // The local file system keeps a .crc beside every file; HDFS checks its blocks the same way on its own.
        String dir = temp.resolve("edited").toUri().toString();
        assertEquals(ExitCode.DONE, GlowSparkJob.run(runs.jobAt(dir, "train.epochs=1")));
        java.nio.file.Path metrics = temp.resolve("edited").resolve("metrics.jsonl");
        Files.writeString(metrics, Files.readString(metrics).replace("\"epoch\":1,", "\"epoch\":1 ,"));
        RunDirectory run = RunDirectory.open(temp.resolve("edited").toUri(), runs.configuration());
        Map<String, String> before = SmallRun.files(run);

        try (LogCapture logs = new LogCapture("io.glowspark.cli")) {
            assertEquals(ExitCode.BAD_INPUT, GlowSparkJob.run(runs.jobAt(dir, "train.epochs=2")));
            assertTrue(logs.logged("ERROR", "damaged", metrics.toString()), String.join("\n", logs.lines()));
        }
        assertEquals(before, SmallRun.files(run), "nothing changed");
    }

    @Test
    void aRunOfAnotherModelIsRefusedNamingTheRunDirectoryUnlessRunFreshMovesItAside() throws IOException {
        assertEquals(ExitCode.DONE, GlowSparkJob.run(runs.job("other-model", "train.epochs=1")));
        RunDirectory run = runs.run("other-model");
        Map<String, String> before = SmallRun.files(run);

        try (LogCapture logs = new LogCapture("io.glowspark.cli")) {
            assertEquals(ExitCode.BAD_INPUT, GlowSparkJob.run(runs.job("other-model", "train.epochs=1", "model.hidden-channels=8")));
            assertTrue(logs.logged("ERROR", run.root().toString(), "run.fresh=true"), String.join("\n", logs.lines()));
        }
        assertEquals(before, SmallRun.files(run), "nothing changed");

        List<String> fresh = runs.job("other-model", "train.epochs=1", "model.hidden-channels=8", "run.fresh=true");
        assertEquals(ExitCode.DONE, GlowSparkJob.run(fresh));
        Path[] archives = org.apache.hadoop.fs.FileUtil.stat2Paths(run.fileSystem().listStatus(new Path(run.root(), "previous")));
        assertEquals(1, archives.length);
        String archive = archives[0].toString();
        for (String file : before.keySet()) {
            assertTrue(SmallRun.files(run).containsKey(file.replace(run.root().toString(), archive)), file + " moved to " + archive);
        }
        assertEquals(List.of("0/0/0", "1/8/512"), SmallRun.positions(run.readMetrics()), "a new run");
        assertEquals(Settings.load(Optional.empty(), fresh).compatibilityHash(),
                SmallRun.latest(run).metadata().configHash());
    }

    @Test
    void aNonFiniteLossStopsTheRunAndLeavesTheLastGoodCheckpointTheLatest() throws IOException {
        assertEquals(ExitCode.DONE, GlowSparkJob.run(runs.job("diverging", "train.epochs=1")));
        RunDirectory run = runs.run("diverging");
        String good = run.checkpoints(3, true).latest().orElseThrow();
        Map<String, String> before = SmallRun.files(run);

        assertEquals(ExitCode.TRAINING_FAILED, GlowSparkJob.run(runs.job("diverging", "train.epochs=2",
                "train.learning-rate=1e6", "train.gradient-clip=0")));
        assertEquals(before, SmallRun.files(run), "nothing written, the good checkpoint untouched");
        assertEquals(good, SmallRun.latest(run).name());
    }

    @Test
    void aRunWhoseEveryCheckpointIsNonFiniteIsRefusedWithNothingChangedUnlessRunFreshMovesItAside() throws IOException {
        assertEquals(ExitCode.DONE, GlowSparkJob.run(runs.job("all-nan", "train.epochs=1", "checkpoint.every-iterations=4")));
        RunDirectory run = runs.run("all-nan");
        for (String name : run.checkpoints(3, true).list()) {
            poison(run, name);
        }
        Map<String, String> before = SmallRun.files(run);

        try (LogCapture logs = new LogCapture("io.glowspark.cli")) {
            assertEquals(ExitCode.TRAINING_FAILED, GlowSparkJob.run(runs.job("all-nan", "train.epochs=2")));
            assertTrue(logs.logged("ERROR", "every checkpoint of " + run.root() + " holds non-finite parameters",
                    "nothing was changed", "run.fresh=true"), String.join("\n", logs.lines()));
        }
        assertEquals(before, SmallRun.files(run), "nothing changed, metrics.jsonl included");

        assertEquals(ExitCode.DONE, GlowSparkJob.run(runs.job("all-nan", "train.epochs=1", "run.fresh=true")));
        Path[] archives = org.apache.hadoop.fs.FileUtil.stat2Paths(run.fileSystem().listStatus(new Path(run.root(), "previous")));
        assertEquals(1, archives.length);
        assertTrue(run.fileSystem().exists(new Path(archives[0], "metrics.jsonl")), "the old metrics were moved, not lost");
        assertEquals(List.of("0/0/0", "1/8/512"), SmallRun.positions(run.readMetrics()), "a new run");
    }

    @Test
    void aRunDirectoryUnderAFileIsRefusedInOneLineAndNothingIsCreated(@TempDir java.nio.file.Path temp) throws IOException {
        java.nio.file.Path file = Files.writeString(temp.resolve("file"), "not a directory");
        try (LogCapture logs = new LogCapture("io.glowspark.cli")) {
            assertEquals(ExitCode.BAD_INPUT, GlowSparkJob.run(runs.jobAt(file.resolve("run").toUri().toString())));
            assertTrue(logs.logged("ERROR", "file:" + file.resolve("run") + ": cannot create the run directory"),
                    String.join("\n", logs.lines()));
        }
        assertEquals(List.of(file), Files.list(temp).toList());
        assertEquals("not a directory", Files.readString(file));
    }

    /** Rewrites a checkpoint with one parameter NaN, as a run that diverged just before it would have written it. */
    private static void poison(RunDirectory run, String name) throws IOException {
        CheckpointStore store = run.checkpoints(3, true);
        Checkpoint checkpoint = store.open(name);
        MultiLayerNetwork poisoned = ModelSerializer.restoreMultiLayerNetwork(checkpoint.model(), true);
        poisoned.params().putScalar(0, Double.NaN);
        try (RunLock lock = run.lock()) {
            store.write(checkpoint.metadata(), out -> ModelSerializer.writeModel(poisoned, out, true),
                    out -> GlowNetwork.writeParameters(poisoned.params(), out));
        }
    }

    private static void truncateToHalf(RunDirectory run, Path file) throws IOException {
        byte[] bytes;
        try (InputStream in = run.fileSystem().open(file)) {
            bytes = in.readAllBytes();
        }
        try (FSDataOutputStream out = run.fileSystem().create(file, true)) {
            out.write(bytes, 0, bytes.length / 2);
        }
    }
}
