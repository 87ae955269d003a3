package io.glowspark.flow;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Glow (Kingma and Dhariwal, 2018): a multi-scale flow of levels, each a squeeze, K steps of
 * ActNorm, invertible 1x1 convolution and coupling, and a split with a learned prior (a learned prior at the top).
 *
 * <p>A class-conditional Glow ({@link GlowSpec.ClassConditioning}) models p(x | y): the priors take the class y, the
 * flow does not. Its density of x alone is p(x) = mean over y of p(x | y), every class equally likely a priori, and
 * its classifier is argmax over y of p(x | y), both from one encoding of x and a prior evaluation per class.
 *
 * <p>Images, latents and results cross this class's public methods as ND4J arrays (copies: the flow's own buffers
 * never leave it); inside, the flow computes on {@link Tensor}s. Labels are class indices, one per image.
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

    /** One encoding and log p(x | y) for every class y, [N][classes]. */
    private record ClassLikelihoods(TensorEncoding encoding, double[][] logLikelihoods) {

        /** log p(x) = log of the mean over y of p(x | y), per example, computed without overflow. */
        double[] marginal() {
            double[] out = new double[logLikelihoods.length];
            for (int n = 0; n < out.length; n++) {
                double max = Arrays.stream(logLikelihoods[n]).max().orElseThrow();
                double sum = Arrays.stream(logLikelihoods[n]).map(v -> Math.exp(v - max)).sum();
                out[n] = max + Math.log(sum / logLikelihoods[n].length);
            }
            return out;
        }
    }

    private final GlowSpec spec;
    private final List<Level> levels = new ArrayList<>();
    private Tensor input;
    /** Whether the last pass was one that {@link #backward} can follow: one encoding under given classes. */
    private boolean differentiable;

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
            double logScaleFactor = spec.conditioner().logScaleFactor();
            if (l == spec.levels() - 1) {
                levels.add(Level.top(steps, new LearnedPrior(name + ".top", channels, height, width,
                        spec.classes().count(), logScaleFactor), (long) height * width));
            } else {
                int splitClasses = spec.classes().splitPriors() ? spec.classes().count() : 0;
                levels.add(Level.intermediate(steps, new Split(name + ".split", channels, logScaleFactor, splitClasses),
                        (long) height * width));
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

    /**
     * Every level's latent, log|det| and log p(z): under the given classes in a class-conditional model, of the
     * latents alone in an unconditional one (which ignores {@code labels}, as it may be null).
     */
    public Encoding encode(INDArray x, int[] labels) {
        TensorEncoding e = encode(Tensor.of(x), checkedLabels(labels, x.size(0)), false);
        return encoding(e.latents(), e.logDet(), e.logDensity(), x.dataType());
    }

    /** The same for x alone: a class-conditional model's log p(z) is then that of p(z) = mean over y of p(z | y). */
    public Encoding encode(INDArray x) {
        if (!spec.classes().conditional()) {
            return encode(x, null);
        }
        ClassLikelihoods c = classLikelihoods(Tensor.of(x));
        TensorEncoding e = c.encoding();
        double[] logDensity = c.marginal();
        for (int n = 0; n < logDensity.length; n++) {
            logDensity[n] -= e.logDet()[n];
        }
        return encoding(e.latents(), e.logDet(), logDensity, x.dataType());
    }

    private static Encoding encoding(List<Tensor> latents, double[] logDet, double[] logDensity, DataType type) {
        return new Encoding(latents.stream().map(z -> z.toNd4j(type)).toList(), vector(logDet, type),
                vector(logDensity, type));
    }

    private TensorEncoding encode(Tensor x, int[] labels, boolean initialize) {
        List<Tensor> latents = new ArrayList<>();
        double[] logDet = new double[x.batch()];
        double[] logDensity = new double[x.batch()];
        Tensor h = x;
        for (Level level : levels) {
            Level.Output out = level.forward(h, labels, initialize);
            latents.add(out.z());
            for (int n = 0; n < x.batch(); n++) {
                logDet[n] += out.logDet()[n];
                logDensity[n] += out.logDensity()[n];
            }
            h = out.next();
        }
        differentiable = true;
        return new TensorEncoding(latents, logDet, logDensity);
    }

    /**
     * log p(x | y) for every class y from one encoding: the flow does not depend on the class, so only the priors
     * are evaluated again for each class.
     */
    private ClassLikelihoods classLikelihoods(Tensor x) {
        int classes = spec.classes().count();
        int[] labels = new int[x.batch()];
        TensorEncoding e = encode(x, labels, false);
        differentiable = false;
        double[][] logLikelihoods = new double[x.batch()][classes];
        for (int y = 0; y < classes; y++) {
            Arrays.fill(labels, y);
            double[] logDensity = y == 0 ? e.logDensity() : logDensityGiven(labels);
            for (int n = 0; n < x.batch(); n++) {
                logLikelihoods[n][y] = e.logDet()[n] + logDensity[n];
            }
        }
        return new ClassLikelihoods(e, logLikelihoods);
    }

    /** Every level's log-density term of the last encoding's latents under these classes. */
    private double[] logDensityGiven(int[] labels) {
        double[] sum = new double[labels.length];
        for (Level level : levels) {
            double[] term = level.logDensityGiven(labels);
            for (int n = 0; n < sum.length; n++) {
                sum[n] += term[n];
            }
        }
        return sum;
    }

    /**
     * The labels as the priors take them: null for an unconditional model, else checked to be one valid class per
     * image.
     */
    private int[] checkedLabels(int[] labels, long images) {
        GlowSpec.ClassConditioning classes = spec.classes();
        if (!classes.conditional()) {
            return null;
        }
        if (labels == null || labels.length != images) {
            throw new IllegalArgumentException("a class-conditional model needs the class of each of the " + images
                    + " images, got " + (labels == null ? "none" : labels.length + " labels"));
        }
        for (int n = 0; n < labels.length; n++) {
            if (labels[n] < 0 || labels[n] >= classes.count()) {
                throw new IllegalArgumentException("label " + labels[n] + " of image " + n + " is not a class of "
                        + "this model: its classes are 0.." + (classes.count() - 1));
            }
        }
        return labels;
    }

    /** The exact inverse of {@link #encode}: images from all levels' latents. */
    public INDArray decode(List<INDArray> latents) {
        Tensor h = null;
        for (int l = levels.size() - 1; l >= 0; l--) {
            h = levels.get(l).inverse(h, Tensor.of(latents.get(l)));
        }
        return h.toNd4j(latents.get(0).dataType());
    }

    /**
     * n images drawn at a temperature (the latents' standard deviations scaled by it); a class-conditional model
     * draws each image's class first, uniformly.
     */
    public INDArray sample(int n, double temperature, Random rng) {
        int[] labels = null;
        if (spec.classes().conditional()) {
            labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = rng.nextInt(spec.classes().count());
            }
        }
        return sample(n, temperature, rng, labels);
    }

    /** One image of each of the given classes at a temperature, from a class-conditional model. */
    public INDArray sample(int[] labels, double temperature, Random rng) {
        if (!spec.classes().conditional()) {
            throw new IllegalArgumentException("an unconditional model cannot draw images of a given class");
        }
        return sample(labels.length, temperature, rng, checkedLabels(labels, labels.length));
    }

    private INDArray sample(int n, double temperature, Random rng, int[] labels) {
        Tensor h = null;
        for (int l = levels.size() - 1; l >= 0; l--) {
            Level level = levels.get(l);
            h = level.inverse(h, level.sampleLatent(h, n, temperature, rng, labels));
        }
        return h.toNd4j(parameters().get(0).dataType());
    }

    /** Floating-point operations of one image's forward pass (a training step costs about three times this). */
    public long forwardFlopsPerImage() {
        return levels.stream().mapToLong(Level::forwardFlopsPerImage).sum();
    }

    @Override
    public int classes() {
        return spec.classes().count();
    }

    /** -log p(x) in bits per dimension; of a class-conditional model, p(x) = mean over y of p(x | y). */
    @Override
    public INDArray bitsPerDim(INDArray x) {
        if (!spec.classes().conditional()) {
            return bitsPerDim(x, null);
        }
        double[] logLikelihood = classLikelihoods(Tensor.of(x)).marginal();
        return vector(BitsPerDim.of(logLikelihood, spec.dimensions(), spec.nBits()), x.dataType());
    }

    @Override
    public INDArray bitsPerDim(INDArray x, int[] labels) {
        input = Tensor.copyOf(x, input);
        TensorEncoding e = encode(input, checkedLabels(labels, x.size(0)), false);
        double[] logLikelihood = new double[e.logDet().length];
        for (int n = 0; n < logLikelihood.length; n++) {
            logLikelihood[n] = e.logDet()[n] + e.logDensity()[n];
        }
        return vector(BitsPerDim.of(logLikelihood, spec.dimensions(), spec.nBits()), x.dataType());
    }

    /**
     * A class-conditional model's scores of images under every class, from one encoding.
     *
     * @param bitsPerDim         -log p(x | y) in bits per dimension, [N, classes]: the classifier's scores (lowest wins)
     * @param marginalBitsPerDim -log p(x) in bits per dimension, [N], p(x) the mean over y of p(x | y)
     */
    public record ClassScores(INDArray bitsPerDim, INDArray marginalBitsPerDim) {

        /** The class of each image's lowest bits/dim: argmax over y of p(x | y). */
        public int[] predictions() {
            return Nd4j.argMin(bitsPerDim, 1).toIntVector();
        }
    }

    /** The scores of x under every class of a class-conditional model, from one encoding of x. */
    public ClassScores classScores(INDArray x) {
        if (!spec.classes().conditional()) {
            throw new IllegalArgumentException("an unconditional model has no classes to score");
        }
        ClassLikelihoods c = classLikelihoods(Tensor.of(x));
        double[][] bpd = new double[c.logLikelihoods().length][];
        for (int n = 0; n < bpd.length; n++) {
            bpd[n] = BitsPerDim.of(c.logLikelihoods()[n], spec.dimensions(), spec.nBits());
        }
        INDArray perClass = NdArrays.detached(() -> Nd4j.createFromArray(bpd).castTo(x.dataType()));
        return new ClassScores(perClass, vector(BitsPerDim.of(c.marginal(), spec.dimensions(), spec.nBits()), x.dataType()));
    }

    @Override
    public INDArray backward(INDArray gradBitsPerDim) {
        if (!differentiable) {
            throw new IllegalStateException("backward follows bitsPerDim(x, labels), the pass under given classes; the "
                    + "last pass scored every class");
        }
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

    /** The data-dependent initialization; a class-conditional model's class embeddings start at zero, so any class does. */
    @Override
    public void initializeFrom(INDArray batch) {
        encode(Tensor.of(batch), spec.classes().conditional() ? new int[(int) batch.size(0)] : null, true);
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
