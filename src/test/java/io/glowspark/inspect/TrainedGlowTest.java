package io.glowspark.inspect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.glowspark.flow.Parameter;
import io.glowspark.flow.ParameterLayout;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class TrainedGlowTest {

    private static final double FLOAT_TOLERANCE = 1e-4;

    @TempDir
    static Path temp;

    private static TinyRun run;
    private static RunReader reader;
    private static TrainedGlow model;

    @BeforeAll
    static void load() throws IOException {
        run = TinyRun.create(temp);
        reader = RunReader.open(run.uri());
        model = reader.latest();
    }

    @Test
    void theModelHasTheCheckpointsPolyakAveragedParameters() {
        assertNotEquals(run.rawParameters(), run.polyakParameters());
        Map<String, INDArray> polyak = new ParameterLayout(model.glow().parameters()).views(run.polyakParameters());
        for (Parameter p : model.glow().parameters()) {
            assertEquals(polyak.get(p.name()), p.value().reshape(polyak.get(p.name()).shape()), p.name());
        }
    }

    @Test
    void reconstructionIsExactUpToFloatRounding() {
        INDArray x = reader.testImages(0, 1, 2, 3, 4, 5, 6, 7);
        double error = model.maxReconstructionError(x);
        assertTrue(error <= FLOAT_TOLERANCE, "max |decode(encode(x)) - x| = " + error);
        assertEquals(2, model.encode(x).size(), "one latent per level");
    }

    @Test
    void interpolationRunsFromOneReconstructedImageToTheOther() {
        INDArray a = reader.testImages(0);
        INDArray b = reader.testImages(1);
        INDArray path = model.interpolate(a, b, 6);
        assertArrayEquals(new long[] {6, 1, 28, 28}, path.shape());
        assertClose(model.reconstruct(a), image(path, 0));
        assertClose(model.reconstruct(b), image(path, 5));
        double fromA = image(path, 2).sub(a).amaxNumber().doubleValue();
        double fromB = image(path, 2).sub(b).amaxNumber().doubleValue();
        assertTrue(fromA > 0.05 && fromB > 0.05, "the middle is neither end: " + fromA + ", " + fromB);
    }

    @Test
    void interpolationNeedsSingleImagesAndTwoSteps() {
        INDArray two = reader.testImages(0, 1);
        assertThrows(IllegalArgumentException.class, () -> model.interpolate(two, reader.testImages(2), 4));
        assertThrows(IllegalArgumentException.class, () -> model.interpolate(reader.testImages(2), reader.testImages(3), 1));
    }

    @Test
    void samplesHaveTheImageShapeAndRepeatWithTheSeed() {
        INDArray first = model.sample(3, 0.7, 11);
        assertArrayEquals(new long[] {3, 1, 28, 28}, first.shape());
        assertEquals(first, model.sample(3, 0.7, 11));
        assertNotEquals(first, model.sample(3, 0.7, 12));
        assertFalse(first.isNaN().any() || first.isInfinite().any(), "finite samples");
    }

    @Test
    void samplesComeARowPerTemperatureAndAColumnsSamplesShareTheirNoise() {
        INDArray rows = model.samples(3, new double[] {0, 0.7}, 11);
        assertArrayEquals(new long[] {6, 1, 28, 28}, rows.shape());
        assertEquals(image(rows, 0), image(rows, 2), "temperature 0: the mode, whatever the noise");
        assertEquals(model.sample(3, 0.7, 11), rows.get(NDArrayIndex.interval(3, 6)));
    }

    @Test
    void eachImageIsFollowedByItsReconstruction() {
        INDArray x = reader.testImages(4, 5, 6);
        INDArray pairs = model.besideReconstructions(x);
        assertArrayEquals(new long[] {6, 1, 28, 28}, pairs.shape());
        for (int i = 0; i < 3; i++) {
            assertEquals(image(x, i), image(pairs, 2L * i), "image " + i);
            assertClose(model.reconstruct(image(x, i)), image(pairs, 2L * i + 1));
        }
        assertNotEquals(image(pairs, 0), image(pairs, 2));
    }

    @Test
    void bitsPerDimIsTheMeanOverBatches() {
        INDArray x = reader.testImages(0, 1, 2, 3, 4, 5, 6, 7);
        double perImageMean = model.glow().bitsPerDim(x).meanNumber().doubleValue();
        assertEquals(perImageMean, model.bitsPerDim(x), 1e-5);
        INDArray[] copies = new INDArray[40];
        Arrays.fill(copies, x);
        INDArray manyBatches = Nd4j.concat(0, copies);
        assertEquals(perImageMean, model.bitsPerDim(manyBatches), 1e-4, "320 images in two batches");
    }

    @Test
    void imagesOfAnotherSizeAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.encode(Nd4j.zeros(DataType.FLOAT, 2, 1, 32, 32)));
        assertTrue(e.getMessage().contains("[N, 1, 28, 28]") && e.getMessage().contains("[2, 1, 32, 32]"), e.getMessage());
    }

    @Test
    void decodeInvertsEncode() {
        INDArray x = reader.testImages(9, 10);
        List<INDArray> latents = model.encode(x);
        assertClose(x, model.decode(latents));
    }

    private static INDArray image(INDArray batch, long i) {
        return batch.get(NDArrayIndex.interval(i, i + 1));
    }

    private static void assertClose(INDArray expected, INDArray actual) {
        assertArrayEquals(expected.shape(), actual.shape());
        double error = expected.castTo(DataType.FLOAT).sub(actual.castTo(DataType.FLOAT)).amaxNumber().doubleValue();
        assertTrue(error <= FLOAT_TOLERANCE, "max difference " + error);
    }
}
