package io.glowspark.flow;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/**
 * Factors out half of the channels at the end of a level: z is modeled by a Gaussian whose mean and log-sd come
 * from the kept half through a zero-initialized 3x3 convolution (the learned conditional prior p(z | kept)).
 */
public final class Split {

    /** Result of a split: the half that flows on, the factored-out latent, and log p(z | kept) per example. */
    public record Output(INDArray kept, INDArray z, INDArray logDensity) {
    }

    private final int keptChannels;
    private final int latentChannels;
    private final Parameter weight;
    private final Parameter bias;
    private INDArray lastKept;
    private INDArray lastZ;
    private INDArray lastMean;
    private INDArray lastLogSd;

    public Split(String name, int channels) {
        this.keptChannels = channels / 2;
        this.latentChannels = channels - keptChannels;
        this.weight = Parameter.trainable(name + ".prior.weight", 2L * latentChannels, keptChannels, 3, 3);
        this.bias = Parameter.trainable(name + ".prior.bias", 2L * latentChannels);
    }

    public Output forward(INDArray h) {
        lastKept = Tensors.channels(h, 0, keptChannels);
        lastZ = Tensors.channels(h, keptChannels, keptChannels + latentChannels);
        computePrior(lastKept);
        return new Output(lastKept, lastZ, DiagonalGaussian.logDensity(lastZ, lastMean, lastLogSd));
    }

    /** Given dL/d(kept) and dL/d(log p) per example, stores the prior's gradients and returns dL/dh. */
    public INDArray backward(INDArray gradKept, INDArray gradLogDensity) {
        DiagonalGaussian.Gradients g = DiagonalGaussian.backward(lastZ, lastMean, lastLogSd, gradLogDensity);
        Convolution.Gradients prior = Convolution.backward(lastKept, weight.value(), bias.value(),
                Tensors.concatChannels(g.mean(), g.logSd()));
        weight.setGradient(prior.weights());
        bias.setGradient(prior.bias());
        return Tensors.concatChannels(gradKept.add(prior.input()), g.z());
    }

    public INDArray inverse(INDArray kept, INDArray z) {
        return Tensors.concatChannels(kept, z);
    }

    /** Draws z ~ p(z | kept) with the standard deviation scaled by the temperature. */
    public INDArray sample(INDArray kept, double temperature) {
        computePrior(kept);
        return DiagonalGaussian.sample(lastMean, lastLogSd, temperature);
    }

    private void computePrior(INDArray kept) {
        INDArray out = Convolution.forward(kept, weight.value(), bias.value());
        lastMean = Tensors.channels(out, 0, latentChannels);
        lastLogSd = Tensors.channels(out, latentChannels, 2L * latentChannels);
    }

    public void initializeParameters() {
        weight.assign(0);
        bias.assign(0);
    }

    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }
}
