package io.glowspark.flow;

import java.util.Arrays;

/**
 * An invertible 1x1 convolution y = W x at every pixel; log-det = H * W * log|det W|.
 * Subclasses say how W is parameterized and how dL/dW reaches their parameters. W is C x C (C <= 64 in any
 * configuration of this model), so the whole transform is a few loops over the batch on the JVM.
 */
abstract class ChannelMixing implements Bijector {

    protected final int channels;
    private Tensor lastX;
    private double[][] lastWeight;
    private Tensor y;
    private double[] logDet;
    private Tensor inverse;
    private Tensor gradX;

    ChannelMixing(int channels) {
        this.channels = channels;
    }

    /** The C x C mixing matrix from the current parameters (read from their storage). */
    protected abstract double[][] weight();

    /** log|det W| of the matrix the last {@link #weight()} returned. */
    protected abstract double logAbsDetWeight();

    /**
     * Stores the parameter gradients given dL/dW and dL/d(log|det W|) summed over the batch, for the W of the last
     * forward pass.
     */
    protected abstract void backwardWeight(double[][] gradWeight, double gradLogAbsDet);

    @Override
    public FlowOutput forward(Tensor x) {
        lastX = x;
        lastWeight = weight();
        y = mix(lastWeight, x, y);
        logDet = Tensor.reuse(logDet, x.batch());
        Arrays.fill(logDet, x.pixels() * logAbsDetWeight());
        return new FlowOutput(y, logDet);
    }

    @Override
    public Tensor inverse(Tensor out) {
        inverse = mix(SmallMatrix.inverse(weight()), out, inverse);
        return inverse;
    }

    @Override
    public Tensor backward(Tensor gradY, double[] gradLogDet) {
        gradX = mix(SmallMatrix.transpose(lastWeight), gradY, gradX);
        int map = gradY.pixels();
        double[][] gradWeight = new double[channels][channels];
        double[] g = gradY.data();
        double[] x = lastX.data();
        for (int n = 0; n < gradY.batch(); n++) {
            for (int i = 0; i < channels; i++) {
                int gi = gradY.offset(n, i);
                for (int j = 0; j < channels; j++) {
                    int xj = lastX.offset(n, j);
                    double dot = 0;
                    for (int p = 0; p < map; p++) {
                        dot += g[gi + p] * x[xj + p];
                    }
                    gradWeight[i][j] += dot;
                }
            }
        }
        double sum = 0;
        for (double v : gradLogDet) {
            sum += v;
        }
        backwardWeight(gradWeight, map * sum);
        return gradX;
    }

    /** m x at every pixel, into {@code into} when it has the shape. */
    private static Tensor mix(double[][] m, Tensor x, Tensor into) {
        Tensor out = Tensor.reuse(into, x.batch(), x.channels(), x.height(), x.width());
        double[] in = x.data();
        double[] o = out.data();
        int map = x.pixels();
        for (int n = 0; n < x.batch(); n++) {
            for (int i = 0; i < m.length; i++) {
                int oi = out.offset(n, i);
                Arrays.fill(o, oi, oi + map, 0.0);
                for (int j = 0; j < m.length; j++) {
                    double w = m[i][j];
                    int xj = x.offset(n, j);
                    for (int p = 0; p < map; p++) {
                        o[oi + p] += w * in[xj + p];
                    }
                }
            }
        }
        return out;
    }
}
