package io.glowspark.inspect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import io.glowspark.checkpoint.CheckpointMetadata;
import io.glowspark.checkpoint.RestoredCheckpoint;
import io.glowspark.flow.Glow;
import io.glowspark.flow.GlowSpec;
import io.glowspark.layer.GlowNetwork;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A Glow model loaded from a checkpoint, for density, encoding, decoding, sampling, interpolation, class directions
 * and, for a class-conditional model, sampling a class and classifying. Images are {@code [N, C, H, W]} in
 * [-0.5, 0.5] and are computed in the model's data type (float). Not thread-safe: the flow keeps intermediate arrays
 * between calls.
 */
public final class TrainedGlow {

    private static final int BATCH = 256;

    private final String name;
    private final CheckpointMetadata metadata;
    private final Glow glow;
    private final DataType dataType;
    private final List<String> warnings;

    private TrainedGlow(String name, CheckpointMetadata metadata, Glow glow, DataType dataType, List<String> warnings) {
        this.name = name;
        this.metadata = metadata;
        this.glow = glow;
        this.dataType = dataType;
        this.warnings = List.copyOf(warnings);
    }

    /**
     * The model of a usable checkpoint without its updater state, with the Polyak-averaged parameters the run
     * evaluated (the raw ones for checkpoints of versions that did not average).
     *
     * @param warnings what whoever reads this model should know: newer checkpoints passed over, and why
     */
    static TrainedGlow from(RestoredCheckpoint restored, List<String> warnings) {
        MultiLayerNetwork net = restored.averagedNet();
        return new TrainedGlow(restored.name(), restored.metadata(), (Glow) GlowNetwork.glowLayer(net).model(),
                net.params().dataType(), warnings);
    }

    /** Checkpoints passed over to reach this one, and anything else to know about it; empty when there is nothing. */
    public List<String> warnings() {
        return warnings;
    }

    /** The checkpoint's file name, e.g. {@code ckpt-000000001200.zip}. */
    public String name() {
        return name;
    }

    public CheckpointMetadata metadata() {
        return metadata;
    }

    public GlowSpec spec() {
        return glow.spec();
    }

    /** The flow itself, bound to the checkpoint's parameters. */
    public Glow glow() {
        return glow;
    }

    /** Whether the model is class-conditional: it samples a given class and classifies. */
    public boolean conditional() {
        return spec().classes().conditional();
    }

    /** Mean -log p(x) of the images in bits per dimension (dequantize them first, see {@link TestSet}). */
    public double bitsPerDim(INDArray x) {
        return Arrays.stream(bitsPerDimPerImage(x)).average().orElseThrow();
    }

    /** -log p(x) of each image in bits per dimension; of a class-conditional model, p(x) = mean over y of p(x | y). */
    public double[] bitsPerDimPerImage(INDArray x) {
        INDArray images = modelInput(x);
        double[] bpd = new double[(int) images.size(0)];
        for (int from = 0; from < bpd.length; from += BATCH) {
            INDArray batch = images.get(NDArrayIndex.interval(from, Math.min(bpd.length, from + BATCH)));
            double[] part = glow.bitsPerDim(batch).castTo(DataType.DOUBLE).toDoubleVector();
            System.arraycopy(part, 0, bpd, from, part.length);
        }
        return bpd;
    }

    /** A class-conditional model's scores of the images under every class, from one encoding of each. */
    public Glow.ClassScores classScores(INDArray x) {
        requireConditional("classify");
        INDArray images = modelInput(x);
        long n = images.size(0);
        List<INDArray> perClass = new ArrayList<>();
        List<INDArray> marginal = new ArrayList<>();
        for (long from = 0; from < n; from += BATCH) {
            Glow.ClassScores part = glow.classScores(images.get(NDArrayIndex.interval(from, Math.min(n, from + BATCH))));
            perClass.add(part.bitsPerDim());
            marginal.add(part.marginalBitsPerDim());
        }
        return new Glow.ClassScores(Nd4j.concat(0, perClass.toArray(INDArray[]::new)),
                Nd4j.concat(0, marginal.toArray(INDArray[]::new)));
    }

    /** Every level's latents, top level last. */
    public List<INDArray> encode(INDArray x) {
        return glow.encode(modelInput(x)).latents();
    }

    public INDArray decode(List<INDArray> latents) {
        return glow.decode(latents);
    }

    /** {@code n} images at {@code temperature}; the same seed gives the same images. */
    public INDArray sample(int n, double temperature, long seed) {
        return glow.sample(n, temperature, new Random(seed));
    }

    /**
     * {@code n} samples at each temperature, one temperature after the other: [temperatures.length * n, C, H, W]
     * for a grid of {@code n} columns, a row per temperature. Every row starts from the same seed, so a column's
     * images share their noise and differ only in its scale.
     */
    public INDArray samples(int n, double[] temperatures, long seed) {
        INDArray[] rows = new INDArray[temperatures.length];
        for (int i = 0; i < temperatures.length; i++) {
            rows[i] = sample(n, temperatures[i], seed);
        }
        return Nd4j.concat(0, rows);
    }

    /** The same, every image of class {@code digit}, from a class-conditional model. */
    public INDArray samplesOfClass(int digit, int n, double[] temperatures, long seed) {
        requireConditional("sample a given class");
        int[] labels = new int[n];
        Arrays.fill(labels, digit);
        INDArray[] rows = new INDArray[temperatures.length];
        for (int i = 0; i < temperatures.length; i++) {
            rows[i] = glow.sample(labels, temperatures[i], new Random(seed));
        }
        return Nd4j.concat(0, rows);
    }

    /**
     * {@code n} samples of every class of a class-conditional model at one temperature, a class after the other:
     * [classes * n, C, H, W] for a grid of {@code n} columns, a row per class. Every row starts from the same
     * seed, so a column's images share their noise and differ only in their class.
     */
    public INDArray classGrid(int n, double temperature, long seed) {
        requireConditional("sample a given class");
        INDArray[] rows = new INDArray[spec().classes().count()];
        for (int digit = 0; digit < rows.length; digit++) {
            rows[digit] = samplesOfClass(digit, n, new double[]{temperature}, seed);
        }
        return Nd4j.concat(0, rows);
    }

    public INDArray reconstruct(INDArray x) {
        return decode(encode(x));
    }

    /** Each image followed by its reconstruction: [2N, C, H, W], for a grid of two columns, a pair per row. */
    public INDArray besideReconstructions(INDArray x) {
        INDArray images = modelInput(x);
        INDArray reconstructions = reconstruct(images);
        // [N, 2C, H, W] in 'c' order is image 0, its reconstruction, image 1, ...
        return Nd4j.concat(1, images, reconstructions).reshape('c', 2 * images.size(0), images.size(1),
                images.size(2), images.size(3));
    }

    /** The largest absolute pixel difference between the images and their reconstructions. */
    public double maxReconstructionError(INDArray x) {
        return Transforms.abs(reconstruct(x).sub(modelInput(x))).maxNumber().doubleValue();
    }

    /**
     * The straight line between two images in latent space, as in the Glow paper: every level's latents mixed as
     * (1 - t) z_a + t z_b for {@code steps} evenly spaced t from 0 to 1, then decoded.
     *
     * @param a     one image [1, C, H, W], the first of the path
     * @param b     one image [1, C, H, W], the last of the path
     * @param steps images in the path, >= 2
     * @return [steps, C, H, W]
     */
    public INDArray interpolate(INDArray a, INDArray b, int steps) {
        if (steps < 2) {
            throw new IllegalArgumentException("an interpolation needs at least 2 steps, got " + steps);
        }
        requireSingle("a", a);
        requireSingle("b", b);
        List<INDArray> from = encode(a);
        List<INDArray> to = encode(b);
        List<INDArray> path = new ArrayList<>();
        for (int level = 0; level < from.size(); level++) {
            INDArray[] mixes = new INDArray[steps];
            for (int i = 0; i < steps; i++) {
                double t = (double) i / (steps - 1);
                mixes[i] = from.get(level).mul(1 - t).addi(to.get(level).mul(t));
            }
            path.add(Nd4j.concat(0, mixes));
        }
        return decode(path);
    }

    /** Every level's latent averaged over the images: one point of latent space per group of images. */
    public List<INDArray> meanLatent(INDArray x) {
        INDArray images = modelInput(x);
        long n = images.size(0);
        List<INDArray> sums = null;
        for (long from = 0; from < n; from += BATCH) {
            List<INDArray> latents = encode(images.get(NDArrayIndex.interval(from, Math.min(n, from + BATCH))));
            List<INDArray> batchSums = latents.stream().map(z -> z.sum(true, 0)).toList();
            sums = sums == null ? batchSums : addAll(sums, batchSums);
        }
        return sums.stream().map(sum -> sum.divi(n)).toList();
    }

    private static List<INDArray> addAll(List<INDArray> a, List<INDArray> b) {
        for (int level = 0; level < a.size(); level++) {
            a.get(level).addi(b.get(level));
        }
        return a;
    }

    /**
     * One image moved along a direction of latent space, as in the Glow paper's manipulation of attributes: every
     * level's latent z + alpha * direction for each alpha, decoded. A class direction is the mean latent of one
     * class minus that of another ({@link #meanLatent}); alpha 0 is the image's reconstruction.
     *
     * @return [alphas.length, C, H, W]
     */
    public INDArray alongDirection(INDArray image, List<INDArray> direction, double[] alphas) {
        requireSingle("image", image);
        List<INDArray> z = encode(image);
        if (direction.size() != z.size()) {
            throw new IllegalArgumentException("a direction needs a latent per level (" + z.size() + "), got "
                    + direction.size());
        }
        List<INDArray> moved = new ArrayList<>();
        for (int level = 0; level < z.size(); level++) {
            INDArray[] steps = new INDArray[alphas.length];
            for (int i = 0; i < alphas.length; i++) {
                steps[i] = z.get(level).add(direction.get(level).mul(alphas[i]));
            }
            moved.add(Nd4j.concat(0, steps));
        }
        return decode(moved);
    }

    private void requireConditional(String what) {
        if (!conditional()) {
            throw new IllegalArgumentException("the model " + name + " is unconditional: only a class-conditional "
                    + "model (model.conditional = true) can " + what);
        }
    }

    private static void requireSingle(String name, INDArray image) {
        if (image.rank() != 4 || image.size(0) != 1) {
            throw new IllegalArgumentException(name + " must be one image [1, C, H, W], got " + Arrays.toString(image.shape()));
        }
    }

    private INDArray modelInput(INDArray x) {
        GlowSpec spec = spec();
        long[] expected = {x.rank() == 4 ? x.size(0) : -1, spec.channels(), spec.height(), spec.width()};
        if (!Arrays.equals(x.shape(), expected) || x.size(0) == 0) {
            throw new IllegalArgumentException("expected images [N, " + spec.channels() + ", " + spec.height() + ", "
                    + spec.width() + "] with N >= 1 for " + name + ", got " + Arrays.toString(x.shape()));
        }
        return x.castTo(dataType);
    }
}
