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
import java.util.Optional;

import io.glowspark.checkpoint.CheckpointException;
import io.glowspark.checkpoint.DamagedFileException;
import io.glowspark.checkpoint.NonFiniteCheckpointException;
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
        List<RunReader.CheckpointEntry> entries = reader.checkpoints();
        assertEquals(List.of(TinyRun.INITIAL, TinyRun.TRAINED), entries.stream().map(RunReader.CheckpointEntry::name).toList());
        assertEquals(List.of(0L, 4L), entries.stream().map(c -> c.metadata().orElseThrow().iteration()).toList());
        assertEquals(4.4, entries.get(1).metadata().orElseThrow().testBpd());
        assertTrue(entries.stream().allMatch(c -> c.usable() && c.problem().isEmpty()), entries.toString());
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
    void unusableCheckpointsArePassedOverByNameAndReasonAndEveryOneIsListed() throws IOException {
        TinyRun broken = TinyRun.create(temp.resolve("broken-run"));
        broken.writeNaNCheckpoint(10);
        broken.truncate(TinyRun.TRAINED);
        RunReader brokenReader = RunReader.open(broken.uri());

        TrainedGlow latest = brokenReader.latest();
        assertEquals(TinyRun.INITIAL, latest.name(), "the newest usable checkpoint");
        assertEquals(2, latest.warnings().size(), latest.warnings().toString());
        assertTrue(latest.warnings().get(0).contains("ckpt-000000000010.zip: the parameters contain NaN"), latest.warnings().get(0));
        assertTrue(latest.warnings().get(1).contains(TinyRun.TRAINED + ": truncated or corrupted zip"), latest.warnings().get(1));
        NonFiniteCheckpointException nan = assertThrows(NonFiniteCheckpointException.class,
                () -> brokenReader.load("ckpt-000000000010.zip"));
        assertTrue(nan.getMessage().contains("ckpt-000000000010.zip"), nan.getMessage());

        List<RunReader.CheckpointEntry> entries = brokenReader.checkpoints();
        assertEquals(List.of(TinyRun.INITIAL, TinyRun.TRAINED, "ckpt-000000000010.zip"),
                entries.stream().map(RunReader.CheckpointEntry::name).toList(), "every checkpoint, past a damaged one");
        assertEquals(List.of(true, false, false), entries.stream().map(RunReader.CheckpointEntry::usable).toList());
        assertTrue(entries.get(1).problem().orElseThrow().startsWith("truncated or corrupted zip"), entries.toString());
        assertEquals(4, entries.get(1).metadata().orElseThrow().iteration(), "its metadata, the zip's first entry, still reads");
        assertEquals(Optional.of("the parameters contain NaN or infinite values"), entries.get(2).problem());

        broken.truncate(TinyRun.INITIAL);
        CheckpointException none = assertThrows(CheckpointException.class, brokenReader::latest);
        assertTrue(none.getMessage().contains("none of its 3 checkpoints can be used"), none.getMessage());
    }

    @Test
    void aCheckpointOfAnotherConfigurationIsUsedWithAWarning() throws IOException {
        TinyRun foreign = TinyRun.create(temp.resolve("foreign-run"));
        foreign.writeCheckpointOfAnotherConfiguration(20);
        RunReader foreignReader = RunReader.open(foreign.uri());
        TrainedGlow latest = foreignReader.latest();
        assertEquals("ckpt-000000000020.zip", latest.name());
        assertEquals(1, latest.warnings().size(), latest.warnings().toString());
        assertTrue(latest.warnings().get(0).contains("written with another model configuration"), latest.warnings().get(0));
        assertEquals(Optional.of(latest.warnings().get(0).substring(latest.name().length() + 2)),
                foreignReader.checkpoints().get(2).problem());
    }
}
