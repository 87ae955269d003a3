package io.glowspark.flow;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Glow (Kingma and Dhariwal, 2018): a multi-scale flow of levels, each a squeeze, K steps of
 * ActNorm, invertible 1x1 convolution and coupling, and a split with a learned prior (a learned prior at the top).
 *
 * <p>Images, latents and results cross this class's public methods as ND4J arrays (copies: the flow's own buffers
 * never leave it); inside, the flow computes on {@link Tensor}s.
 */
public final class Glow implements DensityModel {

    /** All levels' latents (top level last) and the two parts of the log-likelihood, per example. */
    public record Encoding(List<INDArray> latents, INDArray logDet, INDArray logDensity) {
        public INDArray logLikelihood() {
            return logDet.add(logDensity);
        }
    }

    /** The same, as the flow computed it: the tensors belong to the flow until its next pass. */
    private record TensorEncoding(List<Tensor> latents, double[] logDet, double[] logDensity) {
    }

    private final GlowSpec spec;
    private final List<Level> levels = new ArrayList<>();
    private Tensor input;

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
                levels.add(Level.intermediate(steps, new Split(name + ".split", channels,
                        spec.conditioner().logScaleFactor()), (long) height * width));
                channels /= 2;
            }
        }
    }

    private Chain flowSteps(String levelName, int channels) {
        List<Bijector> steps = new ArrayList<>();
        CouplingNetwork.Scratch scratch = new CouplingNetwork.Scratch();
        for (int k = 0; k < spec.stepsPerLevel(); k++) {
            String name = levelName + ".S" + k;
            steps.add(new ActNorm(name + ".actNorm", channels));
            steps.add(switch (spec.permutation()) {
                case LU -> new LuConv1x1(name + ".mix", channels);
                case PLAIN -> new InvertibleConv1x1(name + ".mix", channels);
                case REVERSE -> new ChannelReversal();
            });
            steps.add(switch (spec.coupling()) {
                case AFFINE -> new AffineCoupling(name + ".coupling", channels, spec.hiddenChannels(),
                        spec.conditioner(), scratch);
                case ADDITIVE -> new AdditiveCoupling(name + ".coupling", channels, spec.hiddenChannels(),
                        spec.conditioner(), scratch);
            });
        }
        return new Chain(steps);
    }

    public GlowSpec spec() {
        return spec;
    }

    public Encoding encode(INDArray x) {
        TensorEncoding e = encode(Tensor.of(x), false);
        List<INDArray> latents = e.latents().stream().map(z -> z.toNd4j(x.dataType())).toList();
        return new Encoding(latents, vector(e.logDet(), x.dataType()), vector(e.logDensity(), x.dataType()));
    }

    private TensorEncoding encode(Tensor x, boolean initialize) {
        List<Tensor> latents = new ArrayList<>();
        double[] logDet = new double[x.batch()];
        double[] logDensity = new double[x.batch()];
        Tensor h = x;
        for (Level level : levels) {
            Level.Output out = level.forward(h, initialize);
            latents.add(out.z());
            for (int n = 0; n < x.batch(); n++) {
                logDet[n] += out.logDet()[n];
                logDensity[n] += out.logDensity()[n];
            }
            h = out.next();
        }
        return new TensorEncoding(latents, logDet, logDensity);
    }

    /** The exact inverse of {@link #encode}: images from all levels' latents. */
    public INDArray decode(List<INDArray> latents) {
        Tensor h = null;
        for (int l = levels.size() - 1; l >= 0; l--) {
            h = levels.get(l).inverse(h, Tensor.of(latents.get(l)));
        }
        return h.toNd4j(latents.get(0).dataType());
    }

    /** n images drawn at a temperature (the latents' standard deviations scaled by it). */
    public INDArray sample(int n, double temperature, Random rng) {
        Tensor h = null;
        for (int l = levels.size() - 1; l >= 0; l--) {
            Level level = levels.get(l);
            h = level.inverse(h, level.sampleLatent(h, n, temperature, rng));
        }
        return h.toNd4j(parameters().get(0).dataType());
    }

    /** Floating-point operations of one image's forward pass (a training step costs about three times this). */
    public long forwardFlopsPerImage() {
        return levels.stream().mapToLong(Level::forwardFlopsPerImage).sum();
    }

    @Override
    public INDArray bitsPerDim(INDArray x) {
        input = Tensor.copyOf(x, input);
        TensorEncoding e = encode(input, false);
        double[] logLikelihood = new double[e.logDet().length];
        for (int n = 0; n < logLikelihood.length; n++) {
            logLikelihood[n] = e.logDet()[n] + e.logDensity()[n];
        }
        return vector(BitsPerDim.of(logLikelihood, spec.dimensions(), spec.nBits()), x.dataType());
    }

    @Override
    public INDArray backward(INDArray gradBitsPerDim) {
        double[] gradLogLikelihood = new double[(int) gradBitsPerDim.length()];
        double perLogLikelihood = BitsPerDim.perLogLikelihood(spec.dimensions());
        for (int n = 0; n < gradLogLikelihood.length; n++) {
            gradLogLikelihood[n] = gradBitsPerDim.getDouble(n) * perLogLikelihood;
        }
        Tensor grad = null;
        for (int l = levels.size() - 1; l >= 0; l--) {
            grad = levels.get(l).backward(grad, gradLogLikelihood);
        }
        return grad.toNd4j(gradBitsPerDim.dataType());
    }

    @Override
    public void initializeFrom(INDArray batch) {
        encode(Tensor.of(batch), true);
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
    public void releaseBuffers() {
        levels.forEach(Level::releaseBuffers);
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

    private static INDArray vector(double[] values, DataType type) {
        return NdArrays.detached(() -> {
            INDArray doubles = Nd4j.createFromArray(values);
            if (type == DataType.DOUBLE) {
                return doubles;
            }
            try (doubles) {
                return doubles.castTo(type);
            }
        });
    }
}
