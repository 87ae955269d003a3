package io.glowspark.flow;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GlowTest {

    static GlowSpec smallSpec(int size, GlowSpec.Coupling coupling, GlowSpec.Permutation permutation) {
        return smallSpec(size, coupling, permutation, GlowSpec.Conditioner.GLOW);
    }

    static GlowSpec smallSpec(int size, GlowSpec.Coupling coupling, GlowSpec.Permutation permutation,
                              GlowSpec.Conditioner conditioner) {
        return new GlowSpec(1, size, size, 2, 2, 4, coupling, permutation, conditioner, 8);
    }

    /** A class-conditional small spec with Glow's conditioner (so the class embeddings have their learned scale). */
    static GlowSpec conditionalSpec(int size, int classes, boolean splitPriors) {
        return new GlowSpec(1, size, size, 2, 2, 4, GlowSpec.Coupling.AFFINE, GlowSpec.Permutation.LU,
                GlowSpec.Conditioner.GLOW, 8, new GlowSpec.ClassConditioning(classes, splitPriors));
    }

    private static GlowSpec mnistSpec() {
        return new GlowSpec(1, 28, 28, 2, 3, 8, GlowSpec.Coupling.AFFINE, GlowSpec.Permutation.LU,
                GlowSpec.Conditioner.GLOW, 8);
    }

    /** A Glow with storage of the given type, initialized (also from data) and, optionally, perturbed. */
    static Glow prepared(GlowSpec spec, INDArray data, boolean perturb) {
        Glow glow = new Glow(spec);
        ParameterLayout layout = BijectorContract.bind(glow.parameters(), data.dataType(),
                () -> glow.initializeParameters(new Random(5)));
        glow.initializeFrom(data);
        if (perturb) {
            BijectorContract.perturb(layout, 6);
        }
        return glow;
    }

    private static INDArray images(DataType type, long n, int size) {
        Nd4j.getRandom().setSeed(3);
        return Nd4j.rand(type, n, 1, size, size).subi(0.5);
    }

    @Test
    void decodeInvertsEncodeInDoubleAndFloat() {
        for (DataType type : List.of(DataType.DOUBLE, DataType.FLOAT)) {
            INDArray x = images(type, 4, 28);
            Glow glow = prepared(mnistSpec(), x, true);
            double error = glow.decode(glow.encode(x).latents()).sub(x).amaxNumber().doubleValue();
            assertTrue(error <= (type == DataType.DOUBLE ? 1e-10 : 1e-5), type + ": max |f^-1(f(x)) - x| = " + error);
        }
    }

    @Test
    void latentsCoverEveryDimensionOnce() {
        INDArray x = images(DataType.DOUBLE, 2, 28);
        Glow glow = prepared(smallSpec(28, GlowSpec.Coupling.AFFINE, GlowSpec.Permutation.LU), x, false);
        List<INDArray> latents = glow.encode(x).latents();
        assertArrayEquals(new long[]{2, 2, 14, 14}, latents.get(0).shape());
        assertArrayEquals(new long[]{2, 8, 7, 7}, latents.get(1).shape());
    }

    @Test
    void logDetOfWholeModelEqualsLogAbsDetOfJacobian() {
        INDArray data = images(DataType.DOUBLE, 8, 4);
        for (GlowSpec.Permutation permutation : GlowSpec.Permutation.values()) {
            Glow glow = prepared(smallSpec(4, GlowSpec.Coupling.AFFINE, permutation), data, true);
            INDArray x = images(DataType.DOUBLE, 1, 4);
            int d = (int) x.length();
            double[][] jacobian = new double[d][d];
            double eps = 1e-6;
            for (int j = 0; j < d; j++) {
                double original = x.getDouble(j);
                x.putScalar(j, original + eps);
                double[] plus = flatLatents(glow, x);
                x.putScalar(j, original - eps);
                double[] minus = flatLatents(glow, x);
                x.putScalar(j, original);
                for (int i = 0; i < d; i++) {
                    jacobian[i][j] = (plus[i] - minus[i]) / (2 * eps);
                }
            }
            assertEquals(LogDeterminant.of(jacobian), glow.encode(x).logDet().getDouble(0), 1e-6, permutation.name());
        }
    }

    private static double[] flatLatents(Glow glow, INDArray x) {
        List<INDArray> latents = glow.encode(x).latents();
        INDArray all = Nd4j.concat(0, latents.stream().map(z -> z.reshape(z.length())).toArray(INDArray[]::new));
        return all.toDoubleVector();
    }

    @Test
    void bitsPerDimEqualsIndependentComputationFromLatentsAndLogDet() {
        INDArray x = images(DataType.DOUBLE, 3, 8);
        // Unperturbed: the zero-initialized priors are exactly N(0, I), so log p(z) has a closed form here.
        Glow glow = prepared(smallSpec(8, GlowSpec.Coupling.AFFINE, GlowSpec.Permutation.LU), x, false);
        Glow.Encoding encoding = glow.encode(x);
        INDArray bpd = glow.bitsPerDim(x);
        for (int n = 0; n < 3; n++) {
            double logDensity = 0;
            for (INDArray z : encoding.latents()) {
                for (double v : z.get(org.nd4j.linalg.indexing.NDArrayIndex.point(n)).dup().ravel().toDoubleVector()) {
                    logDensity += -0.5 * v * v - 0.5 * Math.log(2 * Math.PI);
                }
            }
            double logLikelihood = logDensity + encoding.logDet().getDouble(n) - 64 * Math.log(256);
            assertEquals(-logLikelihood / (64 * Math.log(2)), bpd.getDouble(n), 1e-9);
        }
    }

    @Test
    void backwardEqualsFiniteDifferencesForEveryParameterAndTheInput() {
        INDArray x = images(DataType.DOUBLE, 2, 8);
        for (GlowSpec.Coupling coupling : GlowSpec.Coupling.values()) {
            for (GlowSpec.Conditioner conditioner : List.of(GlowSpec.Conditioner.PLAIN, GlowSpec.Conditioner.GLOW)) {
                assertGradients(prepared(smallSpec(8, coupling, GlowSpec.Permutation.LU, conditioner), x, true), x, null);
            }
        }
    }

    @Test
    void classConditionalBackwardEqualsFiniteDifferencesForEveryParameterAndTheInput() {
        INDArray x = images(DataType.DOUBLE, 3, 8);
        for (boolean splitPriors : List.of(false, true)) {
            Glow glow = prepared(conditionalSpec(8, 4, splitPriors), x, true);
            assertGradients(glow, x, new int[]{3, 1, 3});
            assertTrue(glow.parameters().stream().anyMatch(p -> p.name().equals("L0.split.class.embedding")) == splitPriors,
                    "a split prior's class embedding exactly when asked for");
        }
    }

    private static void assertGradients(Glow glow, INDArray x, int[] labels) {
        ParameterLayout layout = new ParameterLayout(glow.parameters());
        INDArray weights = Nd4j.createFromArray(0.7, -1.3, 0.4).get(NDArrayIndex.interval(0, x.size(0)));
        glow.bitsPerDim(x, labels);
        INDArray gradX = glow.backward(weights).dup();
        BijectorContract.assertMatchesFiniteDifferences("input", x, gradX,
                () -> glow.bitsPerDim(x, labels).mul(weights).sumNumber().doubleValue(), 16);
        BijectorContract.assertParameterGradients(layout,
                () -> glow.bitsPerDim(x, labels).mul(weights).sumNumber().doubleValue(), 6);
    }

    private static Parameter parameter(Glow glow, String name) {
        return glow.parameters().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void classConditionalBitsPerDimEqualsIndependentComputationFromLatents() {
        INDArray x = images(DataType.DOUBLE, 3, 8);
        // Unperturbed: the split prior is exactly N(0, I); the top prior is N(0, I) shifted by the class embedding.
        Glow glow = prepared(conditionalSpec(8, 3, false), x, false);
        int topChannels = 8;
        double[] rows = new double[3 * 2 * topChannels];
        for (int y = 0; y < 3; y++) {
            for (int c = 0; c < topChannels; c++) {
                rows[y * 2 * topChannels + c] = 0.3 * y - 0.2 + 0.01 * c;
                rows[y * 2 * topChannels + topChannels + c] = -0.1 * y + 0.02 * c;
            }
        }
        parameter(glow, "L1.top.class.embedding").assign(rows);
        parameter(glow, "L1.top.class.logScale").assign(Math.log(2) / 3); // exp(3 * logs) = 2
        int[] labels = {2, 0, 1};
        Glow.Encoding encoding = glow.encode(x, labels);
        INDArray bpd = glow.bitsPerDim(x, labels);
        for (int n = 0; n < 3; n++) {
            double logDensity = standardNormal(encoding.latents().get(0).get(NDArrayIndex.point(n)));
            INDArray top = encoding.latents().get(1).get(NDArrayIndex.point(n));
            for (int c = 0; c < topChannels; c++) {
                double mean = 2 * rows[labels[n] * 2 * topChannels + c];
                double logSd = 2 * rows[labels[n] * 2 * topChannels + topChannels + c];
                for (double v : top.get(NDArrayIndex.point(c)).dup().ravel().toDoubleVector()) {
                    double s = (v - mean) / Math.exp(logSd);
                    logDensity += -0.5 * s * s - logSd - 0.5 * Math.log(2 * Math.PI);
                }
            }
            assertEquals(logDensity, encoding.logDensity().getDouble(n), 1e-9, "log p(z | y) of image " + n);
            double logLikelihood = logDensity + encoding.logDet().getDouble(n) - 64 * Math.log(256);
            assertEquals(-logLikelihood / (64 * Math.log(2)), bpd.getDouble(n), 1e-9);
        }
    }

    private static double standardNormal(INDArray z) {
        double sum = 0;
        for (double v : z.dup().ravel().toDoubleVector()) {
            sum += -0.5 * v * v - 0.5 * Math.log(2 * Math.PI);
        }
        return sum;
    }

    @Test
    void oneEncodingScoresEveryClassAsItsOwnPassWouldAndTheirMeanIsTheDensity() {
        INDArray x = images(DataType.DOUBLE, 4, 8);
        for (boolean splitPriors : List.of(false, true)) {
            Glow glow = prepared(conditionalSpec(8, 3, splitPriors), x, true);
            Glow.ClassScores classScores = glow.classScores(x);
            INDArray scores = classScores.bitsPerDim();
            assertArrayEquals(new long[]{4, 3}, scores.shape());
            for (int y = 0; y < 3; y++) {
                INDArray own = glow.bitsPerDim(x, new int[]{y, y, y, y});
                assertEquals(0.0, own.sub(scores.getColumn(y)).amaxNumber().doubleValue(), 1e-10, "class " + y);
            }
            INDArray marginal = glow.bitsPerDim(x);
            assertEquals(marginal, classScores.marginalBitsPerDim());
            for (int n = 0; n < 4; n++) {
                assertEquals(Nd4j.argMin(scores.getRow(n)).getInt(0), classScores.predictions()[n]);
                double meanLikelihood = 0;
                for (int y = 0; y < 3; y++) {
                    meanLikelihood += Math.pow(2, -64 * scores.getDouble(n, y)) / 3;
                }
                assertEquals(-Math.log(meanLikelihood) / Math.log(2) / 64, marginal.getDouble(n), 1e-9, "image " + n);
                assertEquals(marginal.getDouble(n) * 64 * -Math.log(2) + 64 * 8 * Math.log(2),
                        glow.encode(x).logLikelihood().getDouble(n), 1e-8, "encode(x) gives the same density");
            }
            assertTrue(scores.max(1).sub(scores.min(1)).minNumber().doubleValue() > 1e-6, "the class matters");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> glow.backward(Nd4j.ones(4)));
            assertTrue(e.getMessage().contains("bitsPerDim(x, labels)"), e.getMessage());
        }
    }

    @Test
    void samplesOfAClassAtTemperatureZeroAreTheModeOfItsPrior() {
        INDArray x = images(DataType.DOUBLE, 4, 8);
        Glow glow = prepared(conditionalSpec(8, 3, true), x, true);
        int[] labels = {2, 0, 2};
        INDArray samples = glow.sample(labels, 0.0, new Random(1));
        INDArray top = glow.encode(samples, labels).latents().get(1);
        double[] mean = parameter(glow, "L1.top.mean").values();
        double[] embedding = parameter(glow, "L1.top.class.embedding").values();
        double[] logScale = parameter(glow, "L1.top.class.logScale").values();
        for (int n = 0; n < labels.length; n++) {
            for (int c = 0; c < 8; c++) {
                for (int p = 0; p < 4; p++) {
                    double expected = mean[c * 4 + p] + Math.exp(3 * logScale[c]) * embedding[labels[n] * 16 + c];
                    assertEquals(expected, top.getDouble(n, c, p / 2, p % 2), 1e-8, "image " + n + " channel " + c);
                }
            }
        }
        INDArray first = samples.get(NDArrayIndex.point(0));
        assertEquals(first, samples.get(NDArrayIndex.point(2)), "same class, same mode");
        assertTrue(first.sub(samples.get(NDArrayIndex.point(1))).amaxNumber().doubleValue() > 1e-3, "another class, another mode");
    }

    @Test
    void labelsMustBeOneClassOfTheModelPerImage() {
        INDArray x = images(DataType.DOUBLE, 2, 8);
        Glow glow = prepared(conditionalSpec(8, 3, false), x, false);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> glow.bitsPerDim(x, null));
        assertTrue(missing.getMessage().contains("needs the class of each of the 2 images, got none"), missing.getMessage());
        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
                () -> glow.bitsPerDim(x, new int[]{1, 3}));
        assertTrue(outside.getMessage().contains("label 3 of image 1 is not a class of this model: its classes are 0..2"),
                outside.getMessage());
        assertThrows(IllegalArgumentException.class, () -> glow.sample(new int[]{-1}, 1.0, new Random(1)));
        Glow unconditional = prepared(smallSpec(8, GlowSpec.Coupling.AFFINE, GlowSpec.Permutation.LU), x, false);
        assertThrows(IllegalArgumentException.class, () -> unconditional.classScores(x));
        assertEquals(unconditional.bitsPerDim(x), unconditional.bitsPerDim(x, new int[]{7, 9}), "labels are ignored");
    }

    @Test
    void classConditioningNeedsTwoClassesAndSplitPriorsNeedIt() {
        assertThrows(IllegalArgumentException.class, () -> new GlowSpec.ClassConditioning(1, false));
        assertThrows(IllegalArgumentException.class, () -> new GlowSpec.ClassConditioning(0, true));
        assertEquals(GlowSpec.ClassConditioning.NONE, smallSpec(8, GlowSpec.Coupling.AFFINE, GlowSpec.Permutation.LU).classes());
    }

    @Test
    void actNormInitGivesZeroMeanUnitVariancePerChannel() {
        INDArray x = images(DataType.DOUBLE, 64, 28).muli(3).addi(0.4);
        Glow glow = prepared(mnistSpec(), x, false);
        glow.encode(x);
        for (ActNorm actNorm : glow.actNorms()) {
            INDArray y = actNorm.lastOutput().toNd4j(DataType.DOUBLE);
            assertTrue(y.mean(0, 2, 3).amaxNumber().doubleValue() < 1e-6, "mean per channel");
            assertEquals(0.0, y.std(0, 2, 3).subi(1).amaxNumber().doubleValue(), 1e-4, "std per channel");
        }
    }

    /** A replica's buffers are freed between averaging rounds; the next pass must rebuild them and compute the same. */
    @Test
    void releasingBuffersChangesNoResult() {
        INDArray x = images(DataType.FLOAT, 5, 28);
        Glow glow = prepared(mnistSpec(), x, true);
        INDArray bpd = glow.bitsPerDim(x);
        INDArray grad = glow.backward(Nd4j.ones(DataType.FLOAT, 5));
        glow.releaseBuffers();
        assertEquals(bpd, glow.bitsPerDim(x));
        assertEquals(grad, glow.backward(Nd4j.ones(DataType.FLOAT, 5)));
        glow.releaseBuffers();
        glow.releaseBuffers();
        assertEquals(bpd, glow.bitsPerDim(x));
    }

    @Test
    void refusesToRunBeforeTheInitPass() {
        Glow glow = new Glow(smallSpec(8, GlowSpec.Coupling.AFFINE, GlowSpec.Permutation.LU));
        BijectorContract.bind(glow.parameters(), () -> glow.initializeParameters(new Random(1)));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> glow.bitsPerDim(images(DataType.DOUBLE, 2, 8)));
        assertTrue(e.getMessage().contains("initialization pass"), e.getMessage());
    }

    @Test
    void samplesAtTemperatureZeroAreTheModeAndHaveTheImageShape() {
        INDArray x = images(DataType.FLOAT, 8, 28);
        Glow glow = prepared(smallSpec(28, GlowSpec.Coupling.AFFINE, GlowSpec.Permutation.LU), x, true);
        INDArray a = glow.sample(3, 0.0, new Random(1));
        INDArray b = glow.sample(3, 0.0, new Random(2));
        assertArrayEquals(new long[]{3, 1, 28, 28}, a.shape());
        assertEquals(0.0, a.sub(b).amaxNumber().doubleValue(), 0.0);
        INDArray hot = glow.sample(3, 1.0, new Random(1));
        assertTrue(hot.sub(a).amaxNumber().doubleValue() > 1e-3, "temperature 1 differs from the mode");
        assertEquals(0.0, hot.sub(glow.sample(3, 1.0, new Random(1))).amaxNumber().doubleValue(), 0.0, "same seed, same samples");
    }
}
