package io.glowspark.flow;

import java.util.Arrays;
import java.util.List;

/**
 * Activation normalization: y = (x + bias) * exp(logScale), per channel; log-det = H * W * sum(logScale).
 * The first batch initializes bias and logScale so that y has zero mean and unit variance per channel; the
 * {@code initialized} flag is a fixed parameter, so a restored model is never initialized again.
 */
public final class ActNorm implements Bijector {

    private final String name;
    private final Parameter logScale;
    private final Parameter bias;
    private final Parameter initialized;
    private double[] scale;
    private Tensor lastY;
    private double[] logDet;
    private Tensor inverse;
    private Tensor gradX;

    public ActNorm(String name, int channels) {
        this.name = name;
        this.logScale = Parameter.trainable(name + ".logScale", channels);
        this.bias = Parameter.trainable(name + ".bias", channels);
        this.initialized = Parameter.fixed(name + ".initialized", 1);
    }

    public boolean isInitialized() {
        return initialized.read()[0] != 0;
    }

    @Override
    public FlowOutput forward(Tensor x) {
        if (!isInitialized()) {
            throw new IllegalStateException(name + " has not been initialized from data: run the ActNorm "
                    + "initialization pass on a first batch before training or evaluating");
        }
        double[] s = logScale.read();
        double[] b = bias.read();
        scale = Tensor.reuse(scale, s.length);
        double sumLogScale = 0;
        for (int c = 0; c < s.length; c++) {
            scale[c] = Math.exp(s[c]);
            sumLogScale += s[c];
        }
        lastY = Tensor.reuse(lastY, x.batch(), x.channels(), x.height(), x.width());
        double[] in = x.data();
        double[] out = lastY.data();
        int map = x.pixels();
        for (int n = 0; n < x.batch(); n++) {
            for (int c = 0; c < x.channels(); c++) {
                double shift = b[c];
                double k = scale[c];
                for (int i = x.offset(n, c), end = i + map; i < end; i++) {
                    out[i] = (in[i] + shift) * k;
                }
            }
        }
        logDet = Tensor.reuse(logDet, x.batch());
        Arrays.fill(logDet, map * sumLogScale);
        return new FlowOutput(lastY, logDet);
    }

    @Override
    public Tensor inverse(Tensor y) {
        double[] s = logScale.read();
        double[] b = bias.read();
        inverse = Tensor.reuse(inverse, y.batch(), y.channels(), y.height(), y.width());
        double[] in = y.data();
        double[] out = inverse.data();
        int map = y.pixels();
        for (int n = 0; n < y.batch(); n++) {
            for (int c = 0; c < y.channels(); c++) {
                double k = Math.exp(-s[c]);
                double shift = b[c];
                for (int i = y.offset(n, c), end = i + map; i < end; i++) {
                    out[i] = in[i] * k - shift;
                }
            }
        }
        return inverse;
    }

    @Override
    public Tensor backward(Tensor gradY, double[] gradLogDet) {
        int channels = gradY.channels();
        int map = gradY.pixels();
        gradX = Tensor.reuse(gradX, gradY.batch(), channels, gradY.height(), gradY.width());
        double[] g = gradY.data();
        double[] y = lastY.data();
        double[] out = gradX.data();
        double[] gradBias = new double[channels];
        double[] gradLogScale = new double[channels];
        double fromLogDet = 0;
        for (double v : gradLogDet) {
            fromLogDet += v;
        }
        for (int n = 0; n < gradY.batch(); n++) {
            for (int c = 0; c < channels; c++) {
                double k = scale[c];
                double sumGrad = 0;
                double sumGradY = 0;
                for (int i = gradY.offset(n, c), end = i + map; i < end; i++) {
                    out[i] = g[i] * k;
                    sumGrad += g[i];
                    sumGradY += g[i] * y[i];
                }
                gradBias[c] += sumGrad * k;
                gradLogScale[c] += sumGradY;
            }
        }
        for (int c = 0; c < channels; c++) {
            gradLogScale[c] += map * fromLogDet;
        }
        bias.setGradient(gradBias);
        logScale.setGradient(gradLogScale);
        return gradX;
    }

    @Override
    public FlowOutput initializeFrom(Tensor x) {
        double[] mean = new double[x.channels()];
        double[] logScaleValues = new double[x.channels()];
        ChannelStatistics.of(x, mean, logScaleValues);
        for (int c = 0; c < mean.length; c++) {
            mean[c] = -mean[c];
            logScaleValues[c] = -Math.log(logScaleValues[c] + 1e-6);
        }
        bias.assign(mean);
        logScale.assign(logScaleValues);
        initialized.assign(1);
        return forward(x);
    }

    /** The output of the last forward pass. */
    Tensor lastOutput() {
        return lastY;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(logScale, bias, initialized);
    }
}
