package io.glowspark.flow;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Glow (Kingma and Dhariwal, 2018): a multi-scale flow of levels, each a squeeze, K steps of
 * ActNorm, invertible 1x1 convolution and coupling, and a split with a learned prior (a learned prior at the top).
 */
public final class Glow implements DensityModel {

    /** All levels' latents (top level last) and the two parts of the log-likelihood, per example. */
    public record Encoding(List<INDArray> latents, INDArray logDet, INDArray logDensity) {
        public INDArray logLikelihood() {
            return logDet.add(logDensity);
        }
    }

    private final GlowSpec spec;
    private final List<Level> levels = new ArrayList<>();

    public Glow(GlowSpec spec) {
        this.spec = spec;
        int channels = spec.channels();
        int height = spec.height();
        int width = spec.width();
        for (int l = 0; l < spec.levels(); l++) {
            channels *= 4;
            height /= 2;
            width /= 2;
            String name = "L" + l;
            Chain steps = flowSteps(name, channels);
            if (l == spec.levels() - 1) {
                levels.add(Level.top(steps, new LearnedPrior(name + ".top", channels, height, width), (long) height * width));
            } else {
                levels.add(Level.intermediate(steps, new Split(name + ".split", channels), (long) height * width));
                channels /= 2;
            }
        }
    }

    private Chain flowSteps(String levelName, int channels) {
        List<Bijector> steps = new ArrayList<>();
        for (int k = 0; k < spec.stepsPerLevel(); k++) {
            String name = levelName + ".S" + k;
            steps.add(new ActNorm(name + ".actNorm", channels));
            steps.add(switch (spec.permutation()) {
                case LU -> new LuConv1x1(name + ".mix", channels);
                case PLAIN -> new InvertibleConv1x1(name + ".mix", channels);
                case REVERSE -> new ChannelReversal();
            });
            steps.add(switch (spec.coupling()) {
                case AFFINE -> new AffineCoupling(name + ".coupling", channels, spec.hiddenChannels());
                case ADDITIVE -> new AdditiveCoupling(name + ".coupling", channels, spec.hiddenChannels());
            });
        }
        return new Chain(steps);
    }

    public GlowSpec spec() {
        return spec;
    }

    public Encoding encode(INDArray x) {
        return encode(x, false);
    }

    private Encoding encode(INDArray x, boolean initialize) {
        List<INDArray> latents = new ArrayList<>();
        INDArray logDet = Nd4j.zeros(x.dataType(), x.size(0));
        INDArray logDensity = Nd4j.zeros(x.dataType(), x.size(0));
        INDArray h = x;
        for (Level level : levels) {
            Level.Output out = level.forward(h, initialize);
            latents.add(out.z());
            logDet.addi(out.logDet());
            logDensity.addi(out.logDensity());
            h = out.next();
        }
        return new Encoding(latents, logDet, logDensity);
    }

    /** The exact inverse of {@link #encode}: images from all levels' latents. */
    public INDArray decode(List<INDArray> latents) {
        INDArray h = null;
        for (int l = levels.size() - 1; l >= 0; l--) {
            h = levels.get(l).inverse(h, latents.get(l));
        }
        return h;
    }

    /** n images drawn at a temperature (the latents' standard deviations scaled by it), using ND4J's random generator. */
    public INDArray sample(int n, double temperature) {
        INDArray h = null;
        for (int l = levels.size() - 1; l >= 0; l--) {
            Level level = levels.get(l);
            h = level.inverse(h, level.sampleLatent(h, n, temperature));
        }
        return h;
    }

    /** Floating-point operations of one image's forward pass (a training step costs about three times this). */
    public long forwardFlopsPerImage() {
        return levels.stream().mapToLong(Level::forwardFlopsPerImage).sum();
    }

    @Override
    public INDArray bitsPerDim(INDArray x) {
        return BitsPerDim.of(encode(x).logLikelihood(), spec.dimensions(), spec.nBits());
    }

    @Override
    public INDArray backward(INDArray gradBitsPerDim) {
        INDArray gradLogLikelihood = gradBitsPerDim.mul(BitsPerDim.perLogLikelihood(spec.dimensions()));
        INDArray grad = null;
        for (int l = levels.size() - 1; l >= 0; l--) {
            grad = levels.get(l).backward(grad, gradLogLikelihood);
        }
        return grad;
    }

    @Override
    public void initializeFrom(INDArray batch) {
        encode(batch, true);
    }

    @Override
    public boolean isInitialized() {
        return actNorms().stream().allMatch(ActNorm::isInitialized);
    }

    public List<ActNorm> actNorms() {
        List<ActNorm> all = new ArrayList<>();
        for (Level level : levels) {
            for (Bijector b : level.steps().bijectors()) {
                if (b instanceof ActNorm a) {
                    all.add(a);
                }
            }
        }
        return all;
    }

    @Override
    public void initializeParameters(Random rng) {
        levels.forEach(level -> level.initializeParameters(rng));
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>();
        levels.forEach(level -> all.addAll(level.parameters()));
        return all;
    }
}
