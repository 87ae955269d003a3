package io.glowspark.flow;

import java.util.Arrays;
import java.util.Random;

/**
 * log N(z; mean, exp(logSd)^2) summed per example, its gradients, and sampling at a temperature. The distribution's
 * parameters come as one tensor whose channels [0, C) are the means and [C, 2C) the log-sds of z's C channels;
 * with batch N it gives every example its own (a conditional prior), with batch 1 all examples share it.
 */
final class DiagonalGaussian {

    private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

    private DiagonalGaussian() {
    }

    static double[] logDensity(Tensor z, Tensor params, double[] into) {
        double[] out = Tensor.reuse(into, z.batch());
        int channels = z.channels();
        int map = z.pixels();
        for (int n = 0; n < z.batch(); n++) {
            int example = params.batch() == 1 ? 0 : n;
            double sum = 0;
            for (int c = 0; c < channels; c++) {
                int zi = z.offset(n, c);
                int mi = params.offset(example, c);
                int si = params.offset(example, channels + c);
                for (int p = 0; p < map; p++) {
                    double logSd = params.data()[si + p];
                    double standardized = (z.data()[zi + p] - params.data()[mi + p]) * Math.exp(-logSd);
                    sum += -0.5 * standardized * standardized - logSd - HALF_LOG_TWO_PI;
                }
            }
            out[n] = sum;
        }
        return out;
    }

    /**
     * Gradients of sum_n gradLogDensity[n] * logDensity[n] with respect to z (into gradZ) and to the parameters (into
     * gradParams, shaped like params: summed over the examples when they are shared).
     */
    static void backward(Tensor z, Tensor params, double[] gradLogDensity, Tensor gradZ, Tensor gradParams) {
        int channels = z.channels();
        int map = z.pixels();
        Arrays.fill(gradParams.data(), 0.0);
        for (int n = 0; n < z.batch(); n++) {
            int example = params.batch() == 1 ? 0 : n;
            double g = gradLogDensity[n];
            for (int c = 0; c < channels; c++) {
                int zi = z.offset(n, c);
                int mi = params.offset(example, c);
                int si = params.offset(example, channels + c);
                for (int p = 0; p < map; p++) {
                    double diff = z.data()[zi + p] - params.data()[mi + p];
                    double precisionTimesDiff = diff * Math.exp(-2 * params.data()[si + p]);
                    double gradMean = g * precisionTimesDiff;
                    gradZ.data()[zi + p] = -gradMean;
                    gradParams.data()[mi + p] += gradMean;
                    gradParams.data()[si + p] += g * (diff * precisionTimesDiff - 1);
                }
            }
        }
    }

    /** mean + temperature * exp(logSd) * eps, eps ~ N(0, I), for n examples into {@code into}. */
    static Tensor sample(Tensor params, int n, double temperature, Random rng, Tensor into) {
        int channels = params.channels() / 2;
        Tensor out = Tensor.reuse(into, n, channels, params.height(), params.width());
        int map = params.pixels();
        for (int i = 0; i < n; i++) {
            int example = params.batch() == 1 ? 0 : i;
            for (int c = 0; c < channels; c++) {
                int oi = out.offset(i, c);
                int mi = params.offset(example, c);
                int si = params.offset(example, channels + c);
                for (int p = 0; p < map; p++) {
                    double eps = rng.nextGaussian();
                    out.data()[oi + p] = params.data()[mi + p] + temperature * Math.exp(params.data()[si + p]) * eps;
                }
            }
        }
        return out;
    }
}
