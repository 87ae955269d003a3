package io.glowspark.flow;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** The top level's prior: a Gaussian with a learned mean and log-sd for every channel and pixel, starting at N(0, I). */
public final class LearnedPrior {

    private final int channels;
    private final Parameter mean;
    private final Parameter logSd;
    private final Tensor params;
    private Tensor lastZ;
    private double[] logDensity;
    private Tensor gradZ;
    private Tensor gradParams;
    private Tensor sample;

    public LearnedPrior(String name, int channels, int height, int width) {
        this.channels = channels;
        this.mean = Parameter.trainable(name + ".mean", 1, channels, height, width);
        this.logSd = Parameter.trainable(name + ".logSd", 1, channels, height, width);
        this.params = new Tensor(1, 2 * channels, height, width);
    }

    public double[] logDensity(Tensor z) {
        lastZ = z;
        logDensity = DiagonalGaussian.logDensity(z, readParams(), logDensity);
        return logDensity;
    }

    /** Given dL/d(log p) per example, stores the prior's gradients and returns dL/dz. */
    public Tensor backward(double[] gradLogDensity) {
        gradZ = Tensor.reuse(gradZ, lastZ.batch(), lastZ.channels(), lastZ.height(), lastZ.width());
        gradParams = Tensor.reuse(gradParams, 1, params.channels(), params.height(), params.width());
        DiagonalGaussian.backward(lastZ, params, gradLogDensity, gradZ, gradParams);
        int half = channels * params.pixels();
        mean.setGradient(Arrays.copyOfRange(gradParams.data(), 0, half));
        logSd.setGradient(Arrays.copyOfRange(gradParams.data(), half, 2 * half));
        return gradZ;
    }

    public Tensor sample(int n, double temperature, Random rng) {
        sample = DiagonalGaussian.sample(readParams(), n, temperature, rng, sample);
        return sample;
    }

    private Tensor readParams() {
        int half = channels * params.pixels();
        System.arraycopy(mean.read(), 0, params.data(), 0, half);
        System.arraycopy(logSd.read(), 0, params.data(), half, half);
        return params;
    }

    public void initializeParameters() {
        mean.assign(0);
        logSd.assign(0);
    }

    public List<Parameter> parameters() {
        return List.of(mean, logSd);
    }
}
