package io.glowspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import io.glowspark.checkpoint.RunDirectory;
import io.glowspark.checkpoint.RunLock;
import io.glowspark.config.Settings;
import io.glowspark.data.MnistFileNames;
import io.glowspark.data.MnistTestFiles;
import io.glowspark.data.SyntheticIdx;
import io.glowspark.inspect.ChartPixels;
import io.glowspark.inspect.TinyRun;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GlowToolTest {

    /** Side of one grid cell: a 28x28 digit and the 2-pixel gap before it. */
    private static final int CELL = 30;
    private static final int GAP = 2;

    @TempDir
    static Path temp;

    private static String run;
    private static String conditionalRun;

    private String stdout;
    private String stderr;

    @BeforeAll
    static void writeRun() throws IOException {
        run = TinyRun.create(temp.resolve("run")).uri();
        conditionalRun = TinyRun.createConditional(temp.resolve("conditional")).uri();
    }

    @Test
    void sampleWritesARowPerTemperature() throws IOException {
        Path png = temp.resolve("out/nested/samples.png");
        assertEquals(ExitCode.DONE, tool("sample", run, "--out", png.toString(), "--temperatures", "0,0.7", "--n", "5"));
        assertGrid(png, 5, 2);
        assertTrue(stdout.contains("wrote file:" + png), stdout);
        assertTrue(Files.list(png.getParent()).noneMatch(p -> p.getFileName().toString().endsWith(".crc")), "no .crc file");
    }

    @Test
    void aClassConditionalModelSamplesADigitAndAGridOfEveryClass() throws IOException {
        Path digit = temp.resolve("digit-3.png");
        assertEquals(ExitCode.DONE, tool("sample", conditionalRun, "--digit", "3", "--out", digit.toString(),
                "--temperatures", "0.5,1", "--n", "4"));
        assertGrid(digit, 4, 2);
        Path classes = temp.resolve("classes.png");
        assertEquals(ExitCode.DONE, tool("classes", conditionalRun, "--out", classes.toString(), "--n", "8"));
        assertGrid(classes, 8, 10);
    }

    @Test
    void directionMovesATestDigitAlongTheDifferenceOfTwoClassMeansForBothKindsOfModel() throws IOException {
        for (String r : List.of(run, conditionalRun)) {
            Path png = temp.resolve("direction.png");
            assertEquals(ExitCode.DONE, tool("direction", r, "--image", "0", "--toward", "1", "--away-from", "7",
                    "--per-class", "20", "--out", png.toString()));
            assertGrid(png, 6, 1);
            assertTrue(stdout.contains("test image 0 (a 7) along the mean latent of class 1 (20 training images) minus "
                    + "that of class 7 (20), alpha -1, -0.5, 0, 0.5, 1, 1.5"), stdout);
        }
    }

    @Test
    void oodTellsNoiseFromTheRunsTestDigitsByBitsPerDim() throws IOException {
        Path noise = temp.resolve("noise");
        SyntheticIdx.randomImages(FileSystem.getLocal(new Configuration()), new org.apache.hadoop.fs.Path(noise.toUri()),
                12, 28, 9, 5);
        for (String r : List.of(run, conditionalRun)) {
            Path png = temp.resolve("ood.png");
            assertEquals(ExitCode.DONE, tool("ood", r, "--data", noise.toUri().toString(), "--n", "12", "--out",
                    png.toString()));
            BufferedImage image = ImageIO.read(png.toFile());
            assertTrue(ChartPixels.plotContains(image, 0x1f77b4) && ChartPixels.plotContains(image, 0xff7f0e), "both histograms drawn");
            Matcher m = Pattern.compile("mean bits/dim ([0-9.]+) on 12 test images of the run .*, ([0-9.]+) on 12 of "
                    + ".*noise/t10k-images-idx3-ubyte; AUROC of bits/dim as a detector of the other kind ([0-9.]+)")
                    .matcher(stdout);
            assertTrue(m.find(), stdout);
            assertTrue(Double.parseDouble(m.group(2)) > Double.parseDouble(m.group(1)), "noise costs more bits: " + stdout);
            assertEquals(1.0, Double.parseDouble(m.group(3)), 0.0, "bits/dim alone tell noise from digits: " + stdout);
        }
    }

    @Test
    void reconstructPairsEachDigitWithItsReconstruction() throws IOException {
        Path png = temp.resolve("reconstructions.png");
        assertEquals(ExitCode.DONE, tool("reconstruct", run, "--out", png.toUri().toString(), "--n", "3"));
        assertGrid(png, 2, 3);
        assertTrue(stdout.contains("largest |reconstruction - image| over 3 test images"), stdout);
    }

    @Test
    void interpolateWritesOneRowOfSteps() throws IOException {
        Path png = temp.resolve("path.png");
        assertEquals(ExitCode.DONE, tool("interpolate", run, "--from", "0", "--to", "1", "--steps", "4", "--out", png.toString()));
        assertGrid(png, 4, 1);
    }

    @Test
    void evaluateScoresTheRunsTestSetOrAnotherDirectory() throws IOException {
        assertEquals(ExitCode.DONE, tool("evaluate", run, "--checkpoint", TinyRun.INITIAL));
        assertTrue(stdout.startsWith(TinyRun.INITIAL + " (epoch 0, iteration 0): test bits/dim "), stdout);
        assertTrue(stdout.contains("on " + TinyRun.TEST_IMAGES + " images of "), stdout);

        Path data = firstTestImages(temp.resolve("small-data"), 40);
        assertEquals(ExitCode.DONE, tool("evaluate", run, "--data", data.toString()));
        assertTrue(stdout.startsWith(TinyRun.TRAINED) && stdout.contains("on 40 images of ") && stdout.contains(data + "/t10k-images"), stdout);
        assertTrue(!stdout.contains("accuracy"), "an unconditional model does not classify: " + stdout);

        assertEquals(ExitCode.DONE, tool("evaluate", conditionalRun));
        assertTrue(stdout.matches("(?s).*class-conditional: the bits/dim above are -log p\\(x \\| y\\) under each image's "
                + "label; -log p\\(x\\) [0-9.]+ bits/dim; accuracy of argmax over y of p\\(x \\| y\\) [0-9.]+%.*"), stdout);
    }

    @Test
    void inspectPrintsCheckpointsAndMetrics() {
        assertEquals(ExitCode.DONE, tool("inspect", run));
        assertTrue(stdout.contains(TinyRun.INITIAL) && stdout.contains(TinyRun.TRAINED), stdout);
        assertTrue(stdout.contains("    1           4         256      4.5000      4.4000       123.4         2.1"), stdout);
        assertTrue(stdout.contains("    0           0           0           -      5.1200           -         0.0              -"),
                stdout);
    }

    @Test
    void curveDrawsTrainAndTestBitsPerDimPerEpoch() throws IOException {
        Path png = temp.resolve("curve.png");
        assertEquals(ExitCode.DONE, tool("curve", run, "--out", png.toString()));
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(640, image.getWidth());
        assertTrue(ChartPixels.plotContains(image, 0x1f77b4), "the train points are drawn");
        assertTrue(ChartPixels.plotContains(image, 0xff7f0e), "the test points are drawn");
    }

    @Test
    void badInputExitsWithTwoNamingTheInput() throws IOException {
        Path png = temp.resolve("never.png");
        String missing = temp.resolve("no-run").toString();
        assertBadInput(missing, "sample", missing, "--out", png.toString());
        assertBadInput("no test image 99", "interpolate", run, "--from", "0", "--to", "99", "--out", png.toString());
        assertBadInput("ckpt-000000000077.zip", "evaluate", run, "--checkpoint", "ckpt-000000000077.zip");
        assertBadInput("--out is required", "reconstruct", run);
        assertBadInput("unknown option --colour", "sample", run, "--colour", "red");
        assertBadInput("unknown command 'paint'", "paint", run);
        assertBadInput("--n must be an integer in 1..256, got 'many'", "sample", run, "--out", png.toString(), "--n", "many");
        assertBadInput("--n must be an integer in 1..256, got '99999999'", "sample", run, "--out", png.toString(),
                "--n", "99999999");
        assertBadInput("--steps must be an integer in 2..256, got '1000'", "interpolate", run, "--from", "0", "--to", "1",
                "--steps", "1000", "--out", png.toString());
        assertBadInput("--temperatures takes at most 16 numbers, got 17", "sample", run, "--out", png.toString(),
                "--temperatures", "0" + ",0".repeat(16));
        assertBadInput("is an unconditional model; this needs a class-conditional one", "sample", run, "--digit", "3",
                "--out", png.toString());
        assertBadInput("is an unconditional model", "classes", run, "--out", png.toString());
        assertBadInput("--digit must be an integer in 0..9, got '10'", "sample", conditionalRun, "--digit", "10",
                "--out", png.toString());
        assertBadInput("--image, --toward and --away-from are required", "direction", run, "--image", "0", "--out",
                png.toString());
        assertBadInput("--data is required", "ood", run, "--out", png.toString());

        RunDirectory started = RunDirectory.open(temp.resolve("started").toUri(), new Configuration());
        try (RunLock lock = started.lock()) {
            started.writeConfig(Settings.defaults().render());
        }
        assertBadInput("no checkpoint in this run", "evaluate", started.root().toString());
        assertTrue(Files.notExists(png));
    }

    @Test
    void aCheckpointPassedOverIsNamedWithWhyAndInspectListsEveryCheckpointWithItsState() throws IOException {
        TinyRun broken = TinyRun.create(temp.resolve("broken"));
        broken.writeNaNCheckpoint(10);
        broken.truncate(TinyRun.TRAINED);

        assertEquals(ExitCode.DONE, tool("evaluate", broken.uri()));
        assertTrue(stdout.startsWith(TinyRun.INITIAL + " (epoch 0, iteration 0): test bits/dim "), stdout);
        assertTrue(stderr.contains("glow-tool: warning: skipped Checkpoint " + broken.uri() + "/checkpoints/"
                + "ckpt-000000000010.zip: the parameters contain NaN or infinite values"), stderr);
        assertTrue(stderr.contains("glow-tool: warning: skipped Checkpoint " + broken.uri() + "/checkpoints/"
                + TinyRun.TRAINED + ": truncated or corrupted zip"), stderr);

        assertEquals(ExitCode.DONE, tool("inspect", broken.uri()));
        List<String> rows = stdout.lines().filter(line -> line.startsWith("ckpt-")).toList();
        assertEquals(3, rows.size(), stdout);
        assertTrue(rows.get(0).startsWith(TinyRun.INITIAL + " ") && rows.get(0).endsWith("  usable"), rows.get(0));
        assertEquals(List.of(TinyRun.TRAINED, "1", "4"), List.of(rows.get(1).split(" +")).subList(0, 3),
                "its metadata still reads: " + rows.get(1));
        assertTrue(rows.get(1).contains(
                "  NOT USABLE: truncated or corrupted zip"), rows.get(1));
        assertTrue(rows.get(2).startsWith("ckpt-000000000010.zip") && rows.get(2).endsWith(
                "  NOT USABLE: the parameters contain NaN or infinite values"), rows.get(2));

        broken.writeCheckpointOfAnotherConfiguration(20);
        assertEquals(ExitCode.DONE, tool("sample", broken.uri(), "--out", temp.resolve("foreign.png").toString(), "--n", "2"));
        assertTrue(stderr.contains("glow-tool: warning: ckpt-000000000020.zip: written with another model configuration"),
                stderr);
    }

    @Test
    void aBadLineInMetricsIsBadInputNamingFileAndLine() throws IOException {
        TinyRun tiny = TinyRun.create(temp.resolve("bad-metrics"));
        java.nio.file.Path metrics = temp.resolve("bad-metrics").resolve("metrics.jsonl");
        String lines = Files.readString(metrics);
        tiny.directory().fileSystem().delete(tiny.directory().metricsFile(), false);
        Files.writeString(metrics, lines + "{\"epoch\":2,\"iteration\":\"late\"}\n");
        assertBadInput(tiny.directory().metricsFile() + " line 3: not a metrics record", "inspect", tiny.uri());
        assertEquals(1, stderr.strip().lines().count(), stderr);
    }

    @Test
    void anOutputPathThatCannotBeWrittenExitsWithTwoNamingThePathAndTheFault() throws IOException {
        Path file = Files.writeString(temp.resolve("a-file"), "not a directory");
        assertBadInput(file + "/grid.png: cannot write the picture", "sample", run, "--out", file + "/grid.png", "--n", "2");
        assertBadInput("/proc/no-such-dir/grid.png: cannot write the picture", "sample", run,
                "--out", "/proc/no-such-dir/grid.png", "--n", "2");
        // The kernel's full-disk error, ENOSPC, for every write.
        assertBadInput("/dev/full: cannot write the picture (No space left on device)", "sample", run,
                "--out", "/dev/full", "--n", "2");
        assertEquals(1, stderr.strip().lines().count(), "one line: " + stderr);
    }

    private void assertBadInput(String expectedMessage, String... args) {
        assertEquals(ExitCode.BAD_INPUT, tool(args), stderr);
        assertTrue(stderr.contains(expectedMessage), stderr);
    }

    private ExitCode tool(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ExitCode code = GlowTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        stdout = out.toString(StandardCharsets.UTF_8);
        stderr = err.toString(StandardCharsets.UTF_8);
        return code;
    }

    private static void assertGrid(Path png, int columns, int rows) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(columns * CELL + GAP, image.getWidth(), "width");
        assertEquals(rows * CELL + GAP, image.getHeight(), "height");
    }

    /** A data directory with only the first {@code n} MNIST test images and labels (headers rewritten). */
    private static Path firstTestImages(Path dir, int n) throws IOException {
        Files.createDirectories(dir);
        MnistFileNames names = MnistFileNames.STANDARD;
        copyFirst(names.testImages(), dir, 16, 28 * 28, n);
        copyFirst(names.testLabels(), dir, 8, 1, n);
        return dir;
    }

    private static void copyFirst(String name, Path dir, int headerBytes, int itemBytes, int n) throws IOException {
        try (InputStream in = Files.newInputStream(MnistTestFiles.dir().resolve(name));
             OutputStream out = Files.newOutputStream(dir.resolve(name))) {
            ByteBuffer header = ByteBuffer.wrap(in.readNBytes(headerBytes));
            header.putInt(4, n);
            out.write(header.array());
            out.write(in.readNBytes(n * itemBytes));
        }
    }
}
