package io.glowspark.notebooks;

import io.glowspark.testing.LocalSpark;
import io.glowspark.config.Settings;
import io.glowspark.data.SyntheticIdx;
import io.glowspark.inspect.TinyRun;
import io.glowspark.testing.MiniHdfs;
import io.glowspark.train.GlowTrainer;
import io.glowspark.train.SmallRun;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every note's %spark paragraphs, in order, in Zeppelin's way of running them (see {@link ZeppelinNoteRunner}),
 * against a run directory on a real HDFS written by a short training run of a class-conditional model in the same
 * Spark local[2] session, with images of random pixels on the same HDFS as the other kind of images of the
 * out-of-distribution check; the model explorer also against an unconditional run.
 */
@Tag("slow")
class NotebooksTest {

    private static final Pattern PNG = Pattern.compile("data:image/png;base64,([A-Za-z0-9+/=]+)");

    private static MiniHdfs hdfs;
    private static String runDir;
    private static String noiseDir;
    private static TestZeppelinContext z;
    private static ZeppelinNoteRunner runner;

    @BeforeAll
    static void trainAndStartTheInterpreter() throws IOException {
        hdfs = new MiniHdfs("notebooks");
        runDir = hdfs.uri("/runs/notebooks").toString();
        SyntheticIdx.randomImages(hdfs.fileSystem(), new org.apache.hadoop.fs.Path("/datasets/noise"), 100, 28, 9, 11);
        noiseDir = hdfs.uri("/datasets/noise").toString();
        z = new TestZeppelinContext(Map.of("runDir", runDir, "oodDir", noiseDir));
        runner = new ZeppelinNoteRunner(LocalSpark.conf("NotebooksTest"), z);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(runner.spark().sparkContext());
        sc.hadoopConfiguration().addResource(hdfs.configuration());
        List<String> overrides = SmallRun.overrides(runDir, SmallRun.mnistOn(hdfs), "train.epochs=2", "data.train-limit=512",
                "model.conditional=true");
        new GlowTrainer(Settings.load(Optional.empty(), overrides), sc).run();
    }

    @AfterAll
    static void stop() {
        if (runner != null) {
            runner.close();
        }
        if (hdfs != null) {
            hdfs.close();
        }
    }

    @Test
    void trainingRunShowsTheTablesAndCharts() {
        List<ZeppelinNoteRunner.Output> outputs = runAndCheck("training-run.zpln");
        assertTrue(outputs.stream().anyMatch(o -> o.text().contains("%table epoch\titeration")), "the metrics table");
    }

    @Test
    void modelExplorerShowsSamplesReconstructionsInterpolationClassesADirectionAndTheOodCheck() {
        z.setForm("runDir", runDir);
        List<ZeppelinNoteRunner.Output> outputs = runAndCheck("model-explorer.zpln");
        String all = String.join("\n", outputs.stream().map(ZeppelinNoteRunner.Output::text).toList());
        Matcher error = Pattern.compile("max \\|x - f\\^-1\\(f\\(x\\)\\)\\| = ([-0-9.eE]+)").matcher(all);
        assertTrue(error.find(), "the maximum reconstruction error is printed");
        assertTrue(Double.parseDouble(error.group(1)) < 1e-3, "reconstruction error " + error.group(1));

        Matcher accuracy = Pattern.compile("512 test images: -log p\\(x \\| y\\) [0-9.]+ bits/dim, -log p\\(x\\) [0-9.]+, "
                + "accuracy ([0-9.]+)%").matcher(all);
        assertTrue(accuracy.find(), all);
        assertTrue(Double.parseDouble(accuracy.group(1)) <= 100, accuracy.group());
        assertTrue(outputs.stream().anyMatch(o -> pngs(o.text(), "classes").stream()
                .anyMatch(png -> png.getWidth() == 8 * 30 + 2 && png.getHeight() == 10 * 30 + 2)), "a grid of 10 classes by 8");
        assertTrue(all.contains("test digit 0 (a 7) along mean(class 1) - mean(class 7), over 200 and 200 training images; "
                + "alpha -1, -0.64, -0.29, 0.071, 0.43, 0.79, 1.1, 1.5"), all);
        Matcher auroc = Pattern.compile("mean bits/dim ([0-9.]+) \\(run's test set\\) vs ([0-9.]+) \\("
                + Pattern.quote(noiseDir) + "\\); AUROC ([0-9.]+)").matcher(all);
        assertTrue(auroc.find(), all);
        assertTrue(Double.parseDouble(auroc.group(2)) > Double.parseDouble(auroc.group(1)), "noise costs more bits: "
                + auroc.group());
        assertEquals(1.0, Double.parseDouble(auroc.group(3)), 0.0, "bits/dim alone tell noise from digits: " + auroc.group());
    }

    @Test
    void modelExplorerShowsAnUnconditionalModelSayingWhatItCannotDo(@TempDir Path temp) throws IOException {
        z.setForm("runDir", TinyRun.create(temp.resolve("unconditional")).uri());
        List<ZeppelinNoteRunner.Output> outputs = runAndCheck("model-explorer.zpln");
        String all = String.join("\n", outputs.stream().map(ZeppelinNoteRunner.Output::text).toList());
        assertTrue(all.contains(TinyRun.TRAINED + " is unconditional: train with model.conditional=true to sample a "
                + "chosen digit and classify"), all);
        assertFalse(all.contains("accuracy"), all);
        assertTrue(all.contains("test digit 0 (a 7) along mean(class 1) - mean(class 7), over 200 and 200 training "
                + "images"), all);
        Matcher auroc = Pattern.compile("mean bits/dim [0-9.]+ \\(run's test set\\) vs [0-9.]+ .*; AUROC ([0-9.]+)")
                .matcher(all);
        assertTrue(auroc.find(), all);
    }

    /**
     * Runs a note; every paragraph that prints %html shows at least one PNG (unless it printed that the model is
     * unconditional instead) and every PNG decodes, and every z.show printed a table.
     */
    private static List<ZeppelinNoteRunner.Output> runAndCheck(String fileName) {
        List<ZeppelinNoteRunner.Output> outputs = runner.run(Note.read(Note.DIR.resolve(fileName)));
        assertFalse(outputs.isEmpty(), fileName + " has no %spark paragraphs");
        for (ZeppelinNoteRunner.Output output : outputs) {
            String where = fileName + " paragraph " + output.paragraph().id();
            if (output.paragraph().code().contains("%html") && !output.text().contains(" is unconditional: ")) {
                List<BufferedImage> images = pngs(output.text(), where);
                assertFalse(images.isEmpty(), where + " shows no PNG:\n" + output.text());
            }
            if (output.paragraph().code().contains("z.show(")) {
                assertTrue(output.text().contains("%table "), where + " shows no table:\n" + output.text());
            }
        }
        return outputs;
    }

    private static List<BufferedImage> pngs(String text, String where) {
        List<BufferedImage> images = new ArrayList<>();
        Matcher m = PNG.matcher(text);
        while (m.find()) {
            try {
                BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1))));
                assertNotNull(image, where + ": an image that is not a PNG");
                assertTrue(image.getWidth() > 0 && image.getHeight() > 0, where + ": an empty image");
                images.add(image);
            } catch (IOException | IllegalArgumentException e) {
                throw new AssertionError(where + ": an image that does not decode", e);
            }
        }
        return images;
    }
}
