package io.glowspark.inspect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Class directions of an unconditional and a class-conditional model, against the latents computed here. */
class ClassDirectionTest {

    @TempDir
    static Path temp;

    @Test
    void theAlphasRunFromMinusOneToOneAndAHalf() {
        assertArrayEquals(new double[] {-1, -0.5, 0, 0.5, 1, 1.5}, ClassDirection.alphas(6), 1e-12);
        assertEquals("-1, -0.64, -0.29, 0.071, 0.43, 0.79, 1.1, 1.5", ClassDirection.alphaRange(8));
    }

    @Test
    void theDirectionIsTheDifferenceOfTheClassMeansAndTheStripMovesTheLatentAlongIt() throws IOException {
        for (RunReader reader : List.of(RunReader.open(TinyRun.create(temp.resolve("unconditional")).uri()),
                RunReader.open(TinyRun.createConditional(temp.resolve("conditional")).uri()))) {
            TrainedGlow model = reader.latest();
            TestSet training = reader.trainingSet();
            ClassDirection direction = ClassDirection.between(model, training, 1, 7, 15);
            assertEquals(15, direction.towardImages());

            // The first 15 training images of each class, found here from the labels, through the encoder.
            int[] labels = training.labels(IntStream.range(0, 200).toArray());
            List<INDArray> ones = model.encode(training.images(firstOf(labels, 1, 15)));
            List<INDArray> sevens = model.encode(training.images(firstOf(labels, 7, 15)));
            for (int level = 0; level < ones.size(); level++) {
                INDArray expected = ones.get(level).mean(true, 0).sub(sevens.get(level).mean(true, 0));
                double error = direction.latents().get(level).sub(expected).amaxNumber().doubleValue();
                assertTrue(error < 1e-4, "level " + level + ": " + error);
            }

            INDArray image = reader.testImages(0);
            INDArray strip = direction.strip(image, 6);
            assertArrayEquals(new long[] {6, 1, 28, 28}, strip.shape());
            assertTrue(model.reconstruct(image).sub(row(strip, 2)).amaxNumber().doubleValue() < 1e-4,
                    "alpha 0 is the image itself");
            List<INDArray> z = model.encode(image);
            List<INDArray> moved = model.encode(row(strip, 4));
            for (int level = 0; level < z.size(); level++) {
                INDArray expected = z.get(level).add(direction.latents().get(level));
                double error = moved.get(level).sub(expected).amaxNumber().doubleValue();
                assertTrue(error < 1e-2, "alpha 1 adds the direction at level " + level + ": " + error);
            }
            assertTrue(row(strip, 0).sub(row(strip, 5)).amaxNumber().doubleValue() > 0.1, "the strip changes the image");
        }
    }

    private static int[] firstOf(int[] labels, int label, int n) {
        int[] indices = IntStream.range(0, labels.length).filter(i -> labels[i] == label).limit(n).toArray();
        assertEquals(n, indices.length);
        return indices;
    }

    private static INDArray row(INDArray batch, long i) {
        return batch.get(NDArrayIndex.interval(i, i + 1));
    }
}
