package io.glowspark.train;

import io.glowspark.checkpoint.RunDirectory;
import io.glowspark.checkpoint.RunLock;
import io.glowspark.inspect.TinyRun;
import io.glowspark.testing.LogCapture;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The final pictures of a run directory written without Spark (TinyRun): drawn once, reported every time. */
class FinalPicturesTest {

    @TempDir
    Path temp;

    @Test
    void theThreePicturesAreDrawnIntoSamplesOnceAndReportedWithTheirPaths() throws IOException {
        TinyRun tiny = TinyRun.create(temp.resolve("run"));
        try (RunLock lock = tiny.directory().lock()) { // as the trainer holds it
            FinalPictures.Report report = FinalPictures.writeMissing(tiny.directory(), new Configuration());

            Path samples = temp.resolve("run").resolve("samples");
            assertEquals(temp.resolve("run").toString(), report.runDir());
            assertEquals(samples.toString(), report.samplesDir());
            assertEquals(TinyRun.TEST_IMAGES, report.testImages());
            assertEquals(List.of(samples.resolve(FinalPictures.SAMPLES).toString(),
                            samples.resolve(FinalPictures.RECONSTRUCTIONS).toString(),
                            samples.resolve(FinalPictures.INTERPOLATION).toString()),
                    report.pictures().stream().map(FinalPictures.Picture::location).toList());
            for (FinalPictures.Picture picture : report.pictures()) {
                assertNotNull(ImageIO.read(Path.of(picture.location()).toFile()), picture.location() + " is a PNG");
            }
            assertTrue(report.pictures().get(2).shows().contains("from test digit 0 (a 7) to test digit 1 (a 2)"),
                    report.pictures().get(2).shows());

            FileTime drawn = Files.getLastModifiedTime(samples.resolve(FinalPictures.SAMPLES));
            assertEquals(report, FinalPictures.writeMissing(tiny.directory(), new Configuration()));
            assertEquals(drawn, Files.getLastModifiedTime(samples.resolve(FinalPictures.SAMPLES)), "kept, not drawn again");
        }
    }

    @Test
    void testDigitsOfOneClassGiveNoInterpolationAndAWarningSaysWhy() throws IOException {
        TinyRun tiny = TinyRun.create(temp.resolve("one-digit"));
        RunDirectory run = tiny.directory();
        try (RunLock lock = run.lock(); LogCapture logs = new LogCapture(FinalPictures.class.getName())) {
            run.writeConfig(run.readConfig().orElseThrow() + "\nglowspark.data.test-limit = 1\n");
            FinalPictures.Report report = FinalPictures.writeMissing(run, new Configuration());
            assertEquals(2, report.pictures().size(), report.toString());
            assertTrue(logs.logged("WARN", "no latent interpolation picture", "1 test images are all 7s"),
                    String.join("\n", logs.lines()));
        }
        assertTrue(Files.notExists(temp.resolve("one-digit").resolve("samples").resolve(FinalPictures.INTERPOLATION)));
    }
}
