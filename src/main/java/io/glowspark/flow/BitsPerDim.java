package io.glowspark.flow;

/**
 * Converts the continuous log-likelihood of dequantized n-bit data scaled to [-0.5, 0.5] into bits per dimension:
 * bpd = (-log p(x) + D log 2^n) / (D log 2), where the D log 2^n term accounts for the scaling by 2^-n.
 */
final class BitsPerDim {

    private BitsPerDim() {
    }

    static double[] of(double[] logLikelihood, long dimensions, int nBits) {
        double[] bpd = new double[logLikelihood.length];
        for (int n = 0; n < bpd.length; n++) {
            bpd[n] = logLikelihood[n] * perLogLikelihood(dimensions) + nBits;
        }
        return bpd;
    }

    /** d bpd / d log p(x), the same for every example. */
    static double perLogLikelihood(long dimensions) {
        return -1.0 / (dimensions * Math.log(2));
    }
}
