package io.glowspark.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One scale of Glow: squeeze, K flow steps, then either a split (half the channels leave as this level's latent)
 * or, at the top, the learned prior over everything that is left.
 */
final class Level {

    /** What a level hands on: the kept half (null at the top), its latent and its log-likelihood terms. */
    record Output(Tensor next, Tensor z, double[] logDet, double[] logDensity) {
    }

    private final Squeeze squeeze = new Squeeze();
    private final Chain steps;
    private final Split split;
    private final LearnedPrior prior;
    private final long pixels;

    private Level(Chain steps, Split split, LearnedPrior prior, long pixels) {
        this.steps = steps;
        this.split = split;
        this.prior = prior;
        this.pixels = pixels;
    }

    static Level intermediate(Chain steps, Split split, long pixels) {
        return new Level(steps, split, null, pixels);
    }

    static Level top(Chain steps, LearnedPrior prior, long pixels) {
        return new Level(steps, null, prior, pixels);
    }

    /**
     * Floating-point operations of one image's forward pass, from the parameter shapes: 2 per multiply-add of every
     * convolution ([out, in, k, k]) and channel-mixing matrix at every pixel of this level. Element-wise work is
     * left out: it is a few percent of the total.
     */
    long forwardFlopsPerImage() {
        long flops = 0;
        for (Parameter p : parameters()) {
            boolean convolution = p.shape().length == 4 && p.name().endsWith(".weight");
            boolean mixing = p.shape().length == 2 && (p.name().endsWith(".weight") || p.name().endsWith(".lower"));
            if (convolution || mixing) {
                flops += 2 * p.length() * pixels;
            }
        }
        return flops;
    }

    Chain steps() {
        return steps;
    }

    /** {@code labels}: the examples' classes, for the priors that are class-conditional (ignored by the others). */
    Output forward(Tensor x, int[] labels, boolean initialize) {
        Tensor squeezed = squeeze.forward(x).y();
        FlowOutput flowed = initialize ? steps.initializeFrom(squeezed) : steps.forward(squeezed);
        if (split == null) {
            return new Output(null, flowed.y(), flowed.logDet(), prior.logDensity(flowed.y(), labels));
        }
        Split.Output s = split.forward(flowed.y(), labels);
        return new Output(s.kept(), s.z(), flowed.logDet(), s.logDensity());
    }

    /**
     * This level's log-density term of the last forward's latent had the examples been of these classes: the flow
     * does not depend on the class, only the priors do. Not followed by {@link #backward}.
     */
    double[] logDensityGiven(int[] labels) {
        return split == null ? prior.logDensity(prior.lastLatent(), labels) : split.logDensityGiven(labels);
    }

    /** Given dL/d(next) (null at the top) and dL/d(log-likelihood) per example, returns dL/dx. */
    Tensor backward(Tensor gradNext, double[] gradLogLikelihood) {
        Tensor gradFlowed = split == null
                ? prior.backward(gradLogLikelihood)
                : split.backward(gradNext, gradLogLikelihood);
        Tensor gradSqueezed = steps.backward(gradFlowed, gradLogLikelihood);
        return squeeze.backward(gradSqueezed, gradLogLikelihood);
    }

    /** Rebuilds this level's input from the kept half (null at the top) and the latent. */
    Tensor inverse(Tensor next, Tensor z) {
        Tensor flowed = split == null ? z : split.inverse(next, z);
        return squeeze.inverse(steps.inverse(flowed));
    }

    /** Draws this level's latent at a temperature, given the kept half (ignored at the top) and the classes. */
    Tensor sampleLatent(Tensor next, int n, double temperature, Random rng, int[] labels) {
        return split == null ? prior.sample(n, temperature, rng, labels) : split.sample(next, temperature, rng, labels);
    }

    void releaseBuffers() {
        steps.releaseBuffers();
        if (split != null) {
            split.releaseBuffers();
        }
    }

    void initializeParameters(Random rng) {
        steps.initializeParameters(rng);
        if (split == null) {
            prior.initializeParameters();
        } else {
            split.initializeParameters();
        }
    }

    List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>(steps.parameters());
        all.addAll(split == null ? prior.parameters() : split.parameters());
        return all;
    }
}
