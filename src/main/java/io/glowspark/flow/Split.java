package io.glowspark.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Factors out half of the channels at the end of a level: z is modeled by a Gaussian whose mean and log-sd come
 * from the kept half through a zero-initialized 3x3 convolution (the learned conditional prior p(z | kept)), shifted
 * per channel by the example's class embedding when the split priors are class-conditional.
 */
public final class Split {

    /** Result of a split: the half that flows on, the factored-out latent, and log p(z | kept) per example. */
    public record Output(Tensor kept, Tensor z, double[] logDensity) {
    }

    private final int keptChannels;
    private final int latentChannels;
    private final ZeroConvolution prior;
    private final ClassEmbedding classes;
    private Tensor kept;
    private Tensor z;
    private Tensor base;
    private Tensor params;
    private Tensor shifted;
    private double[] logDensity;
    private Tensor rescored;
    private double[] rescoredLogDensity;
    private Tensor gradZ;
    private Tensor gradParams;
    private Tensor gradH;
    private Tensor joined;
    private Tensor sample;

    /** {@code classes} 0: a prior without the class; else the number of classes of a class-conditional prior. */
    Split(String name, int channels, double logScaleFactor, int classes) {
        this.keptChannels = channels / 2;
        this.latentChannels = channels - keptChannels;
        this.prior = new ZeroConvolution(name + ".prior", keptChannels, 2 * latentChannels, logScaleFactor);
        this.classes = classes > 0
                ? new ClassEmbedding(name + ".class", classes, 2 * latentChannels, logScaleFactor) : null;
    }

    /** Splits h; {@code labels} are the examples' classes, ignored by a prior without the class. */
    public Output forward(Tensor h, int[] labels) {
        kept = h.channels(0, keptChannels, kept);
        z = h.channels(keptChannels, latentChannels, z);
        base = prior.forward(kept);
        params = conditioned(base, labels);
        logDensity = DiagonalGaussian.logDensity(z, params, logDensity);
        return new Output(kept, z, logDensity);
    }

    /**
     * log p(z | kept, class) of the last forward's z for other classes, without another pass through the
     * convolution; the last forward's own value for a prior without the class. Not followed by {@link #backward}.
     */
    double[] logDensityGiven(int[] labels) {
        if (classes == null) {
            return logDensity;
        }
        rescored = classes.shift(base, labels, rescored);
        rescoredLogDensity = DiagonalGaussian.logDensity(z, rescored, rescoredLogDensity);
        return rescoredLogDensity;
    }

    /** Given dL/d(kept) and dL/d(log p) per example, stores the prior's gradients and returns dL/dh. */
    public Tensor backward(Tensor gradKept, double[] gradLogDensity) {
        gradZ = Tensor.reuse(gradZ, z.batch(), z.channels(), z.height(), z.width());
        gradParams = Tensor.reuse(gradParams, params.batch(), params.channels(), params.height(), params.width());
        DiagonalGaussian.backward(z, params, gradLogDensity, gradZ, gradParams);
        if (classes != null) {
            classes.backward(gradParams);
        }
        Tensor fromPrior = prior.backward(gradParams);
        gradH = Tensor.reuse(gradH, z.batch(), keptChannels + latentChannels, z.height(), z.width());
        gradH.setChannels(0, gradKept);
        int map = z.pixels() * keptChannels;
        for (int n = 0; n < z.batch(); n++) {
            for (int i = gradH.offset(n, 0), j = fromPrior.offset(n, 0), end = i + map; i < end; i++, j++) {
                gradH.data()[i] += fromPrior.data()[j];
            }
        }
        gradH.setChannels(keptChannels, gradZ);
        return gradH;
    }

    public Tensor inverse(Tensor keptHalf, Tensor latent) {
        joined = Tensor.reuse(joined, latent.batch(), keptChannels + latentChannels, latent.height(), latent.width());
        joined.setChannels(0, keptHalf);
        joined.setChannels(keptChannels, latent);
        return joined;
    }

    /** Draws z ~ p(z | kept, class) with the standard deviation scaled by the temperature. */
    public Tensor sample(Tensor keptHalf, double temperature, Random rng, int[] labels) {
        sample = DiagonalGaussian.sample(conditioned(prior.forward(keptHalf), labels), keptHalf.batch(), temperature,
                rng, sample);
        return sample;
    }

    /** The convolution's parameters, shifted by each example's class embedding when the prior has one. */
    private Tensor conditioned(Tensor fromConvolution, int[] labels) {
        if (classes == null) {
            return fromConvolution;
        }
        shifted = classes.shift(fromConvolution, labels, shifted);
        return shifted;
    }

    public void releaseBuffers() {
        prior.releaseBuffers();
    }

    public void initializeParameters() {
        prior.initializeParameters();
        if (classes != null) {
            classes.initializeParameters();
        }
    }

    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>(prior.parameters());
        if (classes != null) {
            all.addAll(classes.parameters());
        }
        return all;
    }
}
