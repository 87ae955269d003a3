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
 * A Glow model loaded from a checkpoint, for density, encoding, decoding, sampling and interpolation. Images are
 * {@code [N, C, H, W]} in [-0.5, 0.5] and are computed in the model's data type (float). Not thread-safe: the flow
 * keeps intermediate arrays between calls.
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

    /** Mean negative log-likelihood of the images in bits per dimension (dequantize them first, see {@link TestSet}). */
    public double bitsPerDim(INDArray x) {
        INDArray images = modelInput(x);
        long n = images.size(0);
        double sum = 0;
        for (long from = 0; from < n; from += BATCH) {
            INDArray batch = images.get(NDArrayIndex.interval(from, Math.min(n, from + BATCH)));
            sum += glow.bitsPerDim(batch).sumNumber().doubleValue();
        }
        return sum / n;
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
