package io.glowspark.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The top level's prior: a Gaussian with a learned mean and log-sd for every channel and pixel, starting at N(0, I);
 * in a class-conditional model both are shifted per channel by the example's class embedding.
 */
public final class LearnedPrior {

    private final int channels;
    private final Parameter mean;
    private final Parameter logSd;
    private final Tensor params;
    private final ClassEmbedding classes;
    private Tensor conditioned;
    private Tensor lastZ;
    private Tensor lastParams;
    private double[] logDensity;
    private Tensor gradZ;
    private Tensor gradParams;
    private Tensor sample;

    /** {@code classes} 0: unconditional; else the number of classes, with their embedding scaled like the zero convolutions. */
    LearnedPrior(String name, int channels, int height, int width, int classes, double logScaleFactor) {
        this.channels = channels;
        this.mean = Parameter.trainable(name + ".mean", 1, channels, height, width);
        this.logSd = Parameter.trainable(name + ".logSd", 1, channels, height, width);
        this.params = new Tensor(1, 2 * channels, height, width);
        this.classes = classes > 0 ? new ClassEmbedding(name + ".class", classes, 2 * channels, logScaleFactor) : null;
    }

    /** log p(z | class) per example; {@code labels} are the examples' classes, ignored by an unconditional prior. */
    public double[] logDensity(Tensor z, int[] labels) {
        lastZ = z;
        lastParams = distribution(labels);
        logDensity = DiagonalGaussian.logDensity(z, lastParams, logDensity);
        return logDensity;
    }

    /** The z of the last {@link #logDensity}. */
    Tensor lastLatent() {
        return lastZ;
    }

    /** Given dL/d(log p) per example, stores the prior's gradients and returns dL/dz. */
    public Tensor backward(double[] gradLogDensity) {
        gradZ = Tensor.reuse(gradZ, lastZ.batch(), lastZ.channels(), lastZ.height(), lastZ.width());
        gradParams = Tensor.reuse(gradParams, lastParams.batch(), params.channels(), params.height(), params.width());
        DiagonalGaussian.backward(lastZ, lastParams, gradLogDensity, gradZ, gradParams);
        if (classes != null) {
            classes.backward(gradParams);
        }
        int half = channels * params.pixels();
        double[] gradMean = new double[half];
        double[] gradLogSd = new double[half];
        for (int n = 0; n < gradParams.batch(); n++) {
            int offset = gradParams.offset(n, 0);
            for (int i = 0; i < half; i++) {
                gradMean[i] += gradParams.data()[offset + i];
                gradLogSd[i] += gradParams.data()[offset + half + i];
            }
        }
        mean.setGradient(gradMean);
        logSd.setGradient(gradLogSd);
        return gradZ;
    }

    /** n latents at a temperature; {@code labels} (n of them) are their classes in a class-conditional prior. */
    public Tensor sample(int n, double temperature, Random rng, int[] labels) {
        sample = DiagonalGaussian.sample(distribution(labels), n, temperature, rng, sample);
        return sample;
    }

    /** The shared parameters, shifted per example by its class embedding in a class-conditional prior. */
    private Tensor distribution(int[] labels) {
        if (classes == null) {
            return readParams();
        }
        conditioned = classes.shift(readParams(), labels, conditioned);
        return conditioned;
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
        if (classes != null) {
            classes.initializeParameters();
        }
    }

    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>(List.of(mean, logSd));
        if (classes != null) {
            all.addAll(classes.parameters());
        }
        return all;
    }
}
