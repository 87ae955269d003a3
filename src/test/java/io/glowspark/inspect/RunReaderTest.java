package io.glowspark.inspect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.glowspark.checkpoint.CheckpointException;
import io.glowspark.checkpoint.CheckpointMetadata;
import io.glowspark.checkpoint.DamagedFileException;
import io.glowspark.checkpoint.EpochMetrics;
import io.glowspark.checkpoint.RunDirectory;
import io.glowspark.checkpoint.RunLock;
import io.glowspark.config.Settings;
import io.glowspark.data.DataException;
import io.glowspark.data.MnistTestFiles;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class RunReaderTest {

    @TempDir
    static Path temp;

    private static TinyRun tiny;
    private static RunReader reader;

    @BeforeAll
    static void writeRun() throws IOException {
        tiny = TinyRun.create(temp.resolve("run"));
        reader = RunReader.open(tiny.uri());
    }

    @Test
    void settingsAreTheRunsOwn() {
        assertEquals(2, reader.settings().model().levels());
        assertEquals(8, reader.settings().model().hiddenChannels());
        assertEquals(TinyRun.TEST_IMAGES, reader.settings().data().testLimit());
    }

    @Test
    void checkpointsAreListedOldestFirstWithTheirMetadata() throws IOException {
        assertEquals(List.of(TinyRun.INITIAL, TinyRun.TRAINED), reader.checkpointNames());
        List<CheckpointMetadata> metadata = reader.checkpoints();
        assertEquals(List.of(0L, 4L), metadata.stream().map(CheckpointMetadata::iteration).toList());
        assertEquals(4.4, metadata.get(1).testBpd());
    }

    @Test
    void metricsAreTheRunsRecords() throws IOException {
        assertEquals(List.of(EpochMetrics.afterInitialization(5.12), new EpochMetrics(1, 4, 256, 4.5, 4.4, 123.4, 2.07, 0.002)),
                reader.metrics());
    }

    @Test
    void malformedMetricsLineIsReportedWithItsLineNumber() throws IOException {
        RunDirectory run = RunDirectory.open(temp.resolve("bad-metrics").toUri(), new Configuration());
        try (RunLock lock = run.lock()) {
            run.writeConfig(Settings.defaults().render());
            run.appendMetrics(EpochMetrics.afterInitialization(5.0));
        }
        String bad = "{\"epoch\":1,\"iteration\":\"x\"}";
        byte[] good = run.fileSystem().open(run.metricsFile()).readAllBytes();
        try (OutputStream out = run.fileSystem().create(run.metricsFile(), true)) {
            out.write(good);
            out.write((bad + "\n").getBytes(StandardCharsets.UTF_8));
        }
        DamagedFileException e = assertThrows(DamagedFileException.class, () -> RunReader.open(run.root().toString()).metrics());
        assertTrue(e.getMessage().startsWith(run.metricsFile() + " line 2: not a metrics record ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("): " + bad), e.getMessage());
    }

    @Test
    void latestBestAndNamedCheckpointsLoad() throws IOException {
        assertEquals(TinyRun.TRAINED, reader.latest().name());
        assertEquals(TinyRun.TRAINED, reader.best().name());
        TrainedGlow initial = reader.load(TinyRun.INITIAL);
        assertEquals(0, initial.metadata().iteration());
        assertEquals(reader.settings().model().toSpec(1, TinyRun.SIDE, TinyRun.SIDE, 8), initial.spec());
    }

    @Test
    void unknownCheckpointIsNamedWithTheExistingOnes() {
        CheckpointException e = assertThrows(CheckpointException.class, () -> reader.load("ckpt-9.zip"));
        assertTrue(e.getMessage().contains("ckpt-9.zip") && e.getMessage().contains(TinyRun.TRAINED), e.getMessage());
    }

    @Test
    void testImagesAreTheRunsTestSetWithoutNoise() {
        INDArray images = reader.testImages(0, 5, 31);
        assertArrayEquals(new long[] {3, 1, 28, 28}, images.shape());
        for (float v : images.data().asFloat()) {
            float level = (v + 0.5f) * 256;
            assertEquals(Math.round(level), level, 1e-3, "a quantization level, no noise");
        }
        assertArrayEquals(new int[] {7, 2, 1, 0, 4}, reader.testLabels(0, 1, 2, 3, 4), "MNIST's first test labels");
        assertEquals(TinyRun.TEST_IMAGES, reader.testSet().count(), "data.test-limit applies");
    }

    @Test
    void indexOutsideTheTestSetNamesTheFileAndTheRange() {
        DataException e = assertThrows(DataException.class, () -> reader.testImages(0, TinyRun.TEST_IMAGES));
        assertTrue(e.getMessage().contains("no test image 32; indices are 0..31"), e.getMessage());
        assertTrue(e.getMessage().contains("t10k-images"), e.getMessage());
    }

    @Test
    void anotherDataDirectoryIsReadWhole() {
        TestSet all = reader.testSet(MnistTestFiles.dir().toString());
        assertEquals(10_000, all.count());
        assertEquals(reader.testImages(3), all.images(3));
    }

    @Test
    void testBitsPerDimIsFiniteAndPlausible() throws IOException {
        double bpd = reader.testSet().bitsPerDim(reader.latest());
        assertTrue(bpd > 0.5 && bpd < 9, "test bits/dim " + bpd);
    }

    @Test
    void missingRunDirectoryAndMissingConfigAreNamed() throws IOException {
        Path missing = temp.resolve("no-such-run");
        FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> RunReader.open(missing.toString()));
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("does not exist"), e.getMessage());

        Path empty = Files.createDirectories(temp.resolve("empty"));
        e = assertThrows(FileNotFoundException.class, () -> RunReader.open(empty.toUri().toString()));
        assertTrue(e.getMessage().contains("config.conf"), e.getMessage());
    }

    @Test
    void checkpointWithNaNParametersIsRejectedByName() throws IOException {
        TinyRun broken = TinyRun.create(temp.resolve("nan-run"));
        broken.writeNaNCheckpoint(10);
        RunReader nanReader = RunReader.open(broken.uri());
        CheckpointException e = assertThrows(CheckpointException.class, nanReader::latest);
        assertTrue(e.getMessage().contains("ckpt-000000000010.zip") && e.getMessage().contains("NaN"), e.getMessage());
        assertEquals(TinyRun.TRAINED, nanReader.load(TinyRun.TRAINED).name(), "the others still load");
    }
}
