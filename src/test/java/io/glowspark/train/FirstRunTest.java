package io.glowspark.train;

import io.glowspark.checkpoint.EpochMetrics;
import io.glowspark.checkpoint.RunDirectory;
import io.glowspark.data.MnistFileNames;
import io.glowspark.data.MnistTestFiles;
import io.glowspark.testing.SparkHome;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README command 1's job with tiny limits, started as submit/run-local.sh starts it: GlowSparkMain with
 * conf/local.conf in a driver JVM of its own, logging as the scripts' Spark home configures it, MNIST from the cache.
 * A first run prints no warning or error and ends with the final pictures and the closing summary; started again on
 * the complete run it says so, draws a missing picture again, prints the same summary and exits 0.
 */
@Tag("slow")
class FirstRunTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final int SIDE = 28;
    private static final int GAP = 2;
    private static final int CELL = SIDE + GAP;
    private static final int COLUMNS = FinalPictures.COLUMNS;
    private static final Pattern NOISE = Pattern.compile("(?m)^.*(\\bWARN\\b|\\bERROR\\b|Exception|^\\tat ).*$");

    @TempDir
    Path temp;

    @Test
    void aFirstRunShowsItsPicturesAndSummaryQuietlyAndStartedAgainSaysItIsCompleteWithTheSameSummary() throws Exception {
        MnistTestFiles.dir();
        Path runDir = temp.resolve("local");
        Path repo = SparkHome.repoRoot();
        List<String> logging = List.of("-Dlog4j2.configurationFile="
                + repo.resolve("submit/spark-home/log4j2.properties").toUri());
        List<String> args = List.of("--conf", repo.resolve("conf/local.conf").toString(), "run.dir=" + runDir,
                "data.train-limit=256", "data.test-limit=64", "model.steps-per-level=1", "model.hidden-channels=8",
                "train.epochs=1", "train.batch-size-per-worker=16", "train.warmup-iterations=4",
                "train.init-batch-size=64");

        assertEquals(0, GlowSparkJob.exitCode(GlowSparkJob.start("first-run", logging, args), TIMEOUT));
        String first = GlowSparkJob.log("first-run");
        assertQuiet(first);
        String summary = summary(first);
        List<EpochMetrics> metrics = RunDirectory.open(runDir.toUri(), new Configuration()).readMetrics();
        String testBpd = String.format(Locale.ROOT, "%.4f", metrics.get(metrics.size() - 1).testBpd());
        assertTrue(summary.contains("The run is complete: 1 epoch, test bits/dim " + testBpd + " on 64 test images"),
                summary);
        assertTrue(summary.contains("Run directory: " + runDir + "\n"), summary);
        Path samples = runDir.resolve("samples");
        for (String picture : List.of(FinalPictures.SAMPLES, FinalPictures.RECONSTRUCTIONS, FinalPictures.INTERPOLATION)) {
            assertTrue(summary.contains("    " + samples.resolve(picture) + "\n"), picture + " in\n" + summary);
        }
        assertTrue(summary.contains("    " + samples + "/epoch-*.png\n"), summary);
        assertTrue(largestReconstructionError(summary) < 1e-3, summary);
        assertTrue(summary.contains("the latent path from test digit 0 (a 7) to test digit 1 (a 2)"), summary);
        for (String next : List.of("submit/glow-tool.sh inspect " + runDir + "\n", "notebooks/model-explorer.zpln",
                "submit/cluster.sh --help")) {
            assertTrue(summary.contains(next), next + " in\n" + summary);
        }

        assertSamplesRowPerTemperature(samples.resolve(FinalPictures.SAMPLES));
        assertDigitsBesideReconstructions(samples.resolve(FinalPictures.RECONSTRUCTIONS));
        assertPathFromDigitToDigit(samples.resolve(FinalPictures.INTERPOLATION), 0, 1);

        Path interpolation = samples.resolve(FinalPictures.INTERPOLATION);
        byte[] drawn = Files.readAllBytes(interpolation);
        Files.delete(interpolation);
        Files.delete(samples.resolve("." + FinalPictures.INTERPOLATION + ".crc"));
        long samplesModified = Files.getLastModifiedTime(samples.resolve(FinalPictures.SAMPLES)).toMillis();

        assertEquals(0, GlowSparkJob.exitCode(GlowSparkJob.start("first-run-again", logging, args), TIMEOUT));
        String again = GlowSparkJob.log("first-run-again");
        assertQuiet(again);
        assertTrue(again.contains("is complete (1 epochs); nothing to do"), again);
        assertEquals(summary, summary(again));
        assertArrayEquals(drawn, Files.readAllBytes(interpolation), "the missing picture drawn again, the same");
        assertEquals(samplesModified, Files.getLastModifiedTime(samples.resolve(FinalPictures.SAMPLES)).toMillis(),
                "a picture already there is kept");
    }

    private static void assertQuiet(String output) {
        Matcher noise = NOISE.matcher(output);
        assertFalse(noise.find(), () -> "a healthy run prints no warning, error or stack trace: '" + noise.group()
                + "' in\n" + output);
    }

    /** The closing summary: the output from its first line to the end. */
    private static String summary(String output) {
        int start = output.indexOf("The run is complete: ");
        assertTrue(start >= 0, "no summary in\n" + output);
        return output.substring(start);
    }

    private static double largestReconstructionError(String summary) {
        Matcher m = Pattern.compile("largest pixel error ([-0-9.eE]+)").matcher(summary);
        assertTrue(m.find(), summary);
        return Double.parseDouble(m.group(1));
    }

    /** 8 columns, a row per temperature 0, 0.5, 0.7, 1.0: at temperature 0 every sample is the same image. */
    private static void assertSamplesRowPerTemperature(Path png) throws IOException {
        BufferedImage image = grid(png, COLUMNS, 4);
        for (int column = 1; column < COLUMNS; column++) {
            assertEquals(0, difference(cell(image, 0, 0), cell(image, column, 0)), "temperature 0, column " + column);
        }
        assertTrue(difference(cell(image, 0, 3), cell(image, 1, 3)) > 0, "temperature 1: different samples");
    }

    /** The first 8 test digits, each followed by its reconstruction: 4 pairs a row. */
    private static void assertDigitsBesideReconstructions(Path png) throws IOException {
        BufferedImage image = grid(png, COLUMNS, 2);
        for (int digit = 0; digit < 8; digit++) {
            int[] expected = testDigit(digit);
            int cell = 2 * digit;
            assertTrue(difference(expected, cell(image, cell % COLUMNS, cell / COLUMNS)) <= 1, "test digit " + digit);
            assertTrue(difference(expected, cell(image, (cell + 1) % COLUMNS, (cell + 1) / COLUMNS)) <= 1,
                    "reconstruction of test digit " + digit);
        }
    }

    /** One row of 8 steps from the reconstruction of one test digit to that of another, through neither. */
    private static void assertPathFromDigitToDigit(Path png, int from, int to) throws IOException {
        BufferedImage image = grid(png, COLUMNS, 1);
        assertTrue(difference(testDigit(from), cell(image, 0, 0)) <= 1, "the path starts at test digit " + from);
        assertTrue(difference(testDigit(to), cell(image, COLUMNS - 1, 0)) <= 1, "the path ends at test digit " + to);
        int[] middle = cell(image, COLUMNS / 2, 0);
        assertTrue(difference(testDigit(from), middle) > 32 && difference(testDigit(to), middle) > 32,
                "the middle of the path is neither end");
    }

    private static BufferedImage grid(Path png, int columns, int rows) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(columns * CELL + GAP, image.getWidth(), png + " width");
        assertEquals(rows * CELL + GAP, image.getHeight(), png + " height");
        return image;
    }

    /** The gray levels of one grid cell, row by row. */
    private static int[] cell(BufferedImage image, int column, int row) {
        return image.getRaster().getPixels(GAP + column * CELL, GAP + row * CELL, SIDE, SIDE, (int[]) null);
    }

    /** The largest difference of gray levels between two cells. */
    private static int difference(int[] a, int[] b) {
        int max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    /** A test digit's gray levels as a grid draws it, read from the IDX file with plain java.io. */
    private static int[] testDigit(int index) throws IOException {
        Path file = MnistTestFiles.dir().resolve(MnistFileNames.STANDARD.testImages());
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            byte[] pixels = new byte[SIDE * SIDE];
            in.seek(16 + (long) index * pixels.length);
            in.readFully(pixels);
            int[] gray = new int[pixels.length];
            for (int i = 0; i < pixels.length; i++) {
                gray[i] = Math.round((pixels[i] & 0xff) / 256f * 255f);
            }
            return gray;
        }
    }
}
