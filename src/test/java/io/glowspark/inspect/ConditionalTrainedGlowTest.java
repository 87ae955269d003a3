package io.glowspark.inspect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;

import io.glowspark.data.Dequantization;
import io.glowspark.data.LabeledImages;
import io.glowspark.data.RawImages;
import io.glowspark.data.Shard;
import io.glowspark.flow.Glow;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** A class-conditional checkpoint through inspection: sampling a class, the class grid, classifying, evaluating. */
class ConditionalTrainedGlowTest {

    @TempDir
    static Path temp;

    private static RunReader reader;
    private static TrainedGlow model;

    @BeforeAll
    static void load() throws IOException {
        reader = RunReader.open(TinyRun.createConditional(temp).uri());
        model = reader.latest();
    }

    @Test
    void samplesOfAClassComeARowPerTemperatureAndRepeatWithTheSeed() {
        assertTrue(model.conditional());
        INDArray rows = model.samplesOfClass(3, 4, new double[] {0, 0.7}, 5);
        assertArrayEquals(new long[] {8, 1, 28, 28}, rows.shape());
        assertEquals(rows, model.samplesOfClass(3, 4, new double[] {0, 0.7}, 5));
        assertEquals(image(rows, 0), image(rows, 3), "temperature 0: the mode of the class, whatever the noise");
        assertNotEquals(image(rows, 4), image(rows, 5), "temperature 0.7: samples differ");
    }

    @Test
    void theClassGridHasARowPerClassWhoseColumnsShareTheirNoise() {
        INDArray grid = model.classGrid(3, 0.7, 9);
        assertArrayEquals(new long[] {30, 1, 28, 28}, grid.shape());
        for (int digit = 0; digit < 10; digit++) {
            assertEquals(model.samplesOfClass(digit, 3, new double[] {0.7}, 9), grid.get(NDArrayIndex.interval(3 * digit, 3 * digit + 3)));
        }
        assertNotEquals(image(grid, 0), image(grid, 3), "the class changes the image");
    }

    @Test
    void classScoresInBatchesAreTheFlowsAndItsPredictionsTheLowestBitsPerDim() {
        INDArray x = reader.testImages(IntStream.range(0, 20).toArray());
        INDArray[] copies = new INDArray[15];
        Arrays.fill(copies, x);
        Glow.ClassScores batched = model.classScores(Nd4j.concat(0, copies));
        Glow.ClassScores direct = model.glow().classScores(x);
        assertArrayEquals(new long[] {300, 10}, batched.bitsPerDim().shape());
        double error = batched.bitsPerDim().get(NDArrayIndex.interval(280, 300)).sub(direct.bitsPerDim()).amaxNumber().doubleValue();
        assertTrue(error < 1e-5, "the last batch scores as the flow does: " + error);
        int[] predictions = batched.predictions();
        for (int n = 0; n < 20; n++) {
            INDArray row = direct.bitsPerDim().getRow(n);
            assertEquals(row.minNumber().doubleValue(), row.getDouble(predictions[n]), 0.0, "image " + n);
        }
        assertEquals(model.bitsPerDim(x), direct.marginalBitsPerDim().meanNumber().doubleValue(), 1e-5,
                "the density of x alone is the marginal over the classes");
    }

    @Test
    void evaluationScoresEachTestImageUnderItsLabelAndCountsCorrectPredictions() {
        TestSet test = reader.testSet();
        TestSet.Evaluation e = test.evaluate(model);
        assertEquals(TinyRun.TEST_IMAGES, e.images());

        // The same images, dequantized as the run's test score is (its seed, epoch 0), scored here directly.
        Configuration conf = new Configuration();
        var data = reader.settings().data();
        LabeledImages files = LabeledImages.open(data.resolveDir(), data.fileNames().testImages(), data.fileNames().testLabels(), conf);
        RawImages raw = new Shard(files.images(), files.labels(), 0, TinyRun.TEST_IMAGES).read(conf);
        Dequantization dequantization = data.dequantization(reader.settings().train().seed());
        Glow.ClassScores scores = model.glow().classScores(dequantization.withNoise(raw, 0));
        double conditional = 0;
        int correct = 0;
        for (int i = 0; i < raw.count(); i++) {
            conditional += scores.bitsPerDim().getDouble(i, raw.labels()[i]) / raw.count();
            correct += scores.predictions()[i] == raw.labels()[i] ? 1 : 0;
        }
        assertEquals(conditional, e.bitsPerDim(), 1e-5);
        assertEquals(conditional, test.bitsPerDim(model), 1e-5, "a conditional run's test score is -log p(x | y)");
        assertEquals(scores.marginalBitsPerDim().meanNumber().doubleValue(), e.marginalBitsPerDim(), 1e-5);
        assertEquals((double) correct / raw.count(), e.accuracy(), 0.0);
        double log2Classes = Math.log(10) / Math.log(2) / (28 * 28);
        assertTrue(e.marginalBitsPerDim() <= e.bitsPerDim() + log2Classes + 1e-6,
                "p(x) >= p(x | y) / 10: " + e.marginalBitsPerDim() + " vs " + e.bitsPerDim());
    }

    @Test
    void anUnconditionalModelNamesWhatItCannotDo() throws IOException {
        TrainedGlow unconditional = RunReader.open(TinyRun.create(temp.resolve("unconditional")).uri()).latest();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> unconditional.samplesOfClass(3, 2, new double[] {1}, 0));
        assertTrue(e.getMessage().contains("is unconditional") && e.getMessage().contains("model.conditional = true"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> unconditional.classScores(reader.testImages(0)));
        assertTrue(Double.isNaN(RunReader.open(TinyRun.create(temp.resolve("u2")).uri()).testSet()
                .evaluate(unconditional).accuracy()), "no accuracy without classes");
    }

    private static INDArray image(INDArray batch, long i) {
        return batch.get(NDArrayIndex.interval(i, i + 1));
    }
}
