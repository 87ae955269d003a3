package io.glowspark.flow;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** log N(z; mean, exp(logSd)^2) summed per example, its gradients, and sampling at a temperature. */
final class DiagonalGaussian {

    private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

    /** Gradients of the per-example log-density with respect to z, mean and logSd (each shaped like z). */
    record Gradients(INDArray z, INDArray mean, INDArray logSd) {
    }

    private DiagonalGaussian() {
    }

    /** Per-example log-density [N]; mean and logSd broadcast against z. */
    static INDArray logDensity(INDArray z, INDArray mean, INDArray logSd) {
        INDArray standardized = z.sub(mean).muli(Transforms.exp(logSd.neg(), false));
        INDArray perDim = standardized.muli(standardized).muli(-0.5).subi(logSd).subi(HALF_LOG_TWO_PI);
        return Tensors.sumPerExample(perDim);
    }

    /** Gradients of sum_n gradLogDensity[n] * logDensity(z, mean, logSd)[n]. */
    static Gradients backward(INDArray z, INDArray mean, INDArray logSd, INDArray gradLogDensity) {
        INDArray g = Tensors.perExample(gradLogDensity);
        INDArray diff = z.sub(mean);
        INDArray precisionTimesDiff = diff.mul(Transforms.exp(logSd.mul(-2.0), false));
        INDArray gradMean = precisionTimesDiff.mul(g);
        INDArray gradLogSd = diff.muli(precisionTimesDiff).subi(1.0).muli(g);
        return new Gradients(gradMean.neg(), gradMean, gradLogSd);
    }

    /** mean + temperature * exp(logSd) * eps, eps ~ N(0, I) from ND4J's random generator. */
    static INDArray sample(INDArray mean, INDArray logSd, double temperature) {
        INDArray eps = Nd4j.randn(mean.dataType(), mean.shape());
        return eps.muli(Transforms.exp(logSd, true)).muli(temperature).addi(mean);
    }
}
