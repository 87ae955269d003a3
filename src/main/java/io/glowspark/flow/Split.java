package io.glowspark.flow;

import java.util.List;
import java.util.Random;

/**
 * Factors out half of the channels at the end of a level: z is modeled by a Gaussian whose mean and log-sd come
 * from the kept half through a zero-initialized 3x3 convolution (the learned conditional prior p(z | kept)).
 */
public final class Split {

    /** Result of a split: the half that flows on, the factored-out latent, and log p(z | kept) per example. */
    public record Output(Tensor kept, Tensor z, double[] logDensity) {
    }

    private final int keptChannels;
    private final int latentChannels;
    private final ZeroConvolution prior;
    private Tensor kept;
    private Tensor z;
    private Tensor params;
    private double[] logDensity;
    private Tensor gradZ;
    private Tensor gradParams;
    private Tensor gradH;
    private Tensor joined;
    private Tensor sample;

    public Split(String name, int channels, double logScaleFactor) {
        this.keptChannels = channels / 2;
        this.latentChannels = channels - keptChannels;
        this.prior = new ZeroConvolution(name + ".prior", keptChannels, 2 * latentChannels, logScaleFactor);
    }

    public Output forward(Tensor h) {
        kept = h.channels(0, keptChannels, kept);
        z = h.channels(keptChannels, latentChannels, z);
        params = prior.forward(kept);
        logDensity = DiagonalGaussian.logDensity(z, params, logDensity);
        return new Output(kept, z, logDensity);
    }

    /** Given dL/d(kept) and dL/d(log p) per example, stores the prior's gradients and returns dL/dh. */
    public Tensor backward(Tensor gradKept, double[] gradLogDensity) {
        gradZ = Tensor.reuse(gradZ, z.batch(), z.channels(), z.height(), z.width());
        gradParams = Tensor.reuse(gradParams, params.batch(), params.channels(), params.height(), params.width());
        DiagonalGaussian.backward(z, params, gradLogDensity, gradZ, gradParams);
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

    /** Draws z ~ p(z | kept) with the standard deviation scaled by the temperature. */
    public Tensor sample(Tensor keptHalf, double temperature, Random rng) {
        sample = DiagonalGaussian.sample(prior.forward(keptHalf), keptHalf.batch(), temperature, rng, sample);
        return sample;
    }

    public void releaseBuffers() {
        prior.releaseBuffers();
    }

    public void initializeParameters() {
        prior.initializeParameters();
    }

    public List<Parameter> parameters() {
        return prior.parameters();
    }
}
