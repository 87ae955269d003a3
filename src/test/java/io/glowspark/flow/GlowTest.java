package io.glowspark.flow;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
                assertGradients(prepared(smallSpec(8, coupling, GlowSpec.Permutation.LU, conditioner), x, true), x);
            }
        }
    }

    private static void assertGradients(Glow glow, INDArray x) {
        ParameterLayout layout = new ParameterLayout(glow.parameters());
        INDArray weights = Nd4j.createFromArray(0.7, -1.3);
        glow.bitsPerDim(x);
        INDArray gradX = glow.backward(weights).dup();
        BijectorContract.assertMatchesFiniteDifferences("input", x, gradX,
                () -> glow.bitsPerDim(x).mul(weights).sumNumber().doubleValue(), 16);
        BijectorContract.assertParameterGradients(layout,
                () -> glow.bitsPerDim(x).mul(weights).sumNumber().doubleValue(), 6);
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
