package io.glowspark.train;

import io.glowspark.checkpoint.RunDirectory;
import io.glowspark.inspect.ImageGrid;
import io.glowspark.inspect.RunReader;
import io.glowspark.inspect.TestSet;
import io.glowspark.inspect.TrainedGlow;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * The pictures a finished run leaves in samples/ beside the per-epoch grids, drawn like them by the Polyak-averaged
 * model, here the latest checkpoint's as inspection loads it: samples at temperatures 0, 0.5, 0.7 and 1.0, test
 * digits beside their reconstructions f^-1(f(x)), and the straight latent path between two test digits of different
 * classes. A picture already there is kept, so a complete run started again writes nothing; a missing one (a run
 * completed by a version that did not draw it) is drawn then. For the run's lock holder only.
 */
public final class FinalPictures {

    public static final String SAMPLES = "final-samples.png";
    public static final String RECONSTRUCTIONS = "final-reconstructions.png";
    public static final String INTERPOLATION = "final-interpolation.png";
    /** Columns of every picture: samples per temperature, 4 digit-reconstruction pairs, steps of the path. */
    public static final int COLUMNS = 8;
    private static final double[] TEMPERATURES = {0, 0.5, 0.7, 1.0};

    private static final Logger log = LoggerFactory.getLogger(FinalPictures.class);

    /** One picture: what it shows and where it is (a local path, or the URI on another file system). */
    public record Picture(String shows, String location) {
    }

    /** Where the run is, how many test images its score is over, and its final pictures. */
    public record Report(String runDir, String samplesDir, int testImages, List<Picture> pictures) {
    }

    private final RunDirectory run;
    private final RunReader reader;
    private final List<String> drawn = new ArrayList<>();

    private FinalPictures(RunDirectory run, RunReader reader) {
        this.run = run;
        this.reader = reader;
    }

    /** Draws the pictures missing from the run's samples/ with its latest checkpoint and reports all of them. */
    public static Report writeMissing(RunDirectory run, Configuration conf) throws IOException {
        return new FinalPictures(run, RunReader.open(run.root().toString(), conf)).writeMissing();
    }

    private Report writeMissing() throws IOException {
        TrainedGlow model = reader.latest();
        TestSet test = reader.testSet();
        List<Picture> pictures = new ArrayList<>();
        long seed = reader.settings().train().seed();
        pictures.add(picture(SAMPLES, "samples at temperatures 0, 0.5, 0.7 and 1.0, a row each",
                () -> ImageGrid.png(model.samples(COLUMNS, TEMPERATURES, seed), COLUMNS)));

        INDArray digits = test.images(IntStream.range(0, Math.min(COLUMNS, test.count())).toArray());
        pictures.add(picture(RECONSTRUCTIONS, String.format(Locale.ROOT, "the first %d test digits, each beside its "
                        + "reconstruction f^-1(f(x)); largest pixel error %.2g", digits.size(0),
                        model.maxReconstructionError(digits)),
                () -> ImageGrid.png(model.besideReconstructions(digits), COLUMNS)));

        int first = test.labels(0)[0];
        OptionalInt other = IntStream.range(1, test.count()).filter(i -> test.labels(i)[0] != first).findFirst();
        if (other.isPresent()) {
            int to = other.getAsInt();
            pictures.add(picture(INTERPOLATION, String.format(Locale.ROOT, "the latent path from test digit 0 (a %d) "
                            + "to test digit %d (a %d) in %d steps", first, to, test.labels(to)[0], COLUMNS),
                    () -> ImageGrid.png(model.interpolate(test.images(0), test.images(to), COLUMNS), COLUMNS)));
        } else {
            log.warn("no latent interpolation picture: the run's {} test images are all {}s, and the path needs two "
                    + "digits of different classes", test.count(), first);
        }
        if (!drawn.isEmpty()) {
            log.info("drew {} with {}", String.join(", ", drawn), model.name());
        }
        return new Report(location(run.root()), location(run.samplesDir()), test.count(), pictures);
    }

    private Picture picture(String fileName, String shows, Supplier<byte[]> png) throws IOException {
        Path file = new Path(run.samplesDir(), fileName);
        if (!run.fileSystem().exists(file)) {
            run.writeSample(fileName, png.get());
            drawn.add(fileName);
        }
        return new Picture(shows, location(file));
    }

    /** A local file's absolute path, for a terminal to open; any other file system's full URI. */
    private static String location(Path path) {
        return "file".equals(path.toUri().getScheme()) ? path.toUri().getPath() : path.toString();
    }
}
