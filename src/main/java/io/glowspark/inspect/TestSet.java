package io.glowspark.inspect;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import io.glowspark.data.DataException;
import io.glowspark.data.Dequantization;
import io.glowspark.data.LabeledImages;
import io.glowspark.data.MnistFileNames;
import io.glowspark.data.RawImages;
import io.glowspark.data.Shard;
import io.glowspark.flow.Glow;
import org.apache.hadoop.conf.Configuration;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The test images and labels of an MNIST-like IDX directory on any Hadoop file system (or its training images, for
 * statistics of a class), dequantized as the run's model sees them. Only the items asked for are read.
 */
public final class TestSet {

    private static final int EVALUATION_BATCH = 500;

    /**
     * A model's scores on a test set.
     *
     * @param images             images scored
     * @param bitsPerDim         mean bits/dim as the run scores its test set: -log p(x | y) given each image's label for
     *                           a class-conditional model, -log p(x) for an unconditional one
     * @param marginalBitsPerDim mean -log p(x) in bits/dim, whatever the class (p(x) = mean over y of p(x | y))
     * @param accuracy           the fraction of images whose label is argmax over y of p(x | y); NaN for an
     *                           unconditional model
     */
    public record Evaluation(int images, double bitsPerDim, double marginalBitsPerDim, double accuracy) {
    }

    private final LabeledImages test;
    private final Dequantization dequantization;
    private final Configuration conf;

    private TestSet(LabeledImages test, Dequantization dequantization, Configuration conf) {
        this.test = test;
        this.dequantization = dequantization;
        this.conf = conf;
    }

    /** The test files of {@code dir}, their headers validated; {@code limit} first items only, 0 for all. */
    static TestSet open(URI dir, MnistFileNames names, int limit, Dequantization dequantization, Configuration conf) {
        LabeledImages test = LabeledImages.open(dir, names.testImages(), names.testLabels(), conf).limit(limit);
        return new TestSet(test, dequantization, conf);
    }

    /** The training files of {@code dir}, their headers validated. */
    static TestSet openTraining(URI dir, MnistFileNames names, Dequantization dequantization, Configuration conf) {
        return new TestSet(LabeledImages.open(dir, names.trainImages(), names.trainLabels(), conf), dequantization, conf);
    }

    /** The images file, e.g. for messages. */
    public URI uri() {
        return test.images().uri();
    }

    public int count() {
        return test.count();
    }

    /** Images {@code [indices.length, 1, H, W]} without dequantization noise: x / 2^nBits - 0.5. */
    public INDArray images(int... indices) {
        INDArray[] images = new INDArray[indices.length];
        for (int i = 0; i < indices.length; i++) {
            images[i] = dequantization.withoutNoise(read(indices[i]));
        }
        return Nd4j.concat(0, images);
    }

    public int[] labels(int... indices) {
        int[] labels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            labels[i] = read(indices[i]).labels()[0];
        }
        return labels;
    }

    /**
     * The first {@code max} images of class {@code label} (fewer if there are not as many), without dequantization
     * noise, read a block of images at a time from the start.
     *
     * @throws DataException if there is none
     */
    public INDArray imagesOfClass(int label, int max) {
        List<INDArray> found = new ArrayList<>();
        int n = 0;
        for (Shard shard : shards()) {
            RawImages raw = shard.read(conf);
            int[] rows = IntStream.range(0, raw.count()).filter(i -> raw.labels()[i] == label).limit(max - n).toArray();
            if (rows.length > 0) {
                found.add(Nd4j.pullRows(dequantization.withoutNoise(raw).reshape(raw.count(), -1), 1, rows));
                n += rows.length;
            }
            if (n == max) {
                break;
            }
        }
        if (found.isEmpty()) {
            throw new DataException(uri() + ": no image of class " + label + " among its " + count() + " images");
        }
        INDArray images = Nd4j.concat(0, found.toArray(INDArray[]::new));
        return images.reshape('c', n, 1, dequantization.outputRows(test.rows()), dequantization.outputCols(test.cols()));
    }

    /**
     * Mean bits per dimension of the model over all these images, with dequantization noise as in training's test
     * score (the run's seed, epoch 0), so a checkpoint's own test set gives about its recorded test bits/dim: under
     * each image's label for a class-conditional model.
     */
    public double bitsPerDim(TrainedGlow model) {
        return evaluate(model).bitsPerDim();
    }

    /** The model's scores on all these images, dequantized as for {@link #bitsPerDim}. */
    public Evaluation evaluate(TrainedGlow model) {
        requireSizeOf(model);
        double conditional = 0;
        double marginal = 0;
        int correct = 0;
        for (Shard shard : shards()) {
            RawImages raw = shard.read(conf);
            INDArray x = dequantization.withNoise(raw, 0);
            if (!model.conditional()) {
                double sum = Arrays.stream(model.bitsPerDimPerImage(x)).sum();
                conditional += sum;
                marginal += sum;
                continue;
            }
            Glow.ClassScores scores = model.classScores(x);
            int[] predictions = scores.predictions();
            for (int i = 0; i < raw.count(); i++) {
                conditional += scores.bitsPerDim().getDouble(i, raw.labels()[i]);
                correct += predictions[i] == raw.labels()[i] ? 1 : 0;
            }
            marginal += scores.marginalBitsPerDim().sumNumber().doubleValue();
        }
        return new Evaluation(count(), conditional / count(), marginal / count(),
                model.conditional() ? (double) correct / count() : Double.NaN);
    }

    /**
     * -log p(x) of the first {@code max} images (0: all) in bits per dimension, one value per image, whatever their
     * class, dequantized as for {@link #bitsPerDim}: what a likelihood-based out-of-distribution check scores.
     */
    public double[] bitsPerDimPerImage(TrainedGlow model, int max) {
        requireSizeOf(model);
        int n = max == 0 ? count() : Math.min(max, count());
        double[] bpd = new double[n];
        for (Shard shard : test.limit(n).shards(Math.max(1, (n + EVALUATION_BATCH - 1) / EVALUATION_BATCH))) {
            double[] part = model.bitsPerDimPerImage(dequantization.withNoise(shard.read(conf), 0));
            System.arraycopy(part, 0, bpd, shard.first(), part.length);
        }
        return bpd;
    }

    private List<Shard> shards() {
        return test.shards(Math.max(1, (count() + EVALUATION_BATCH - 1) / EVALUATION_BATCH));
    }

    private void requireSizeOf(TrainedGlow model) {
        int rows = dequantization.outputRows(test.rows());
        int cols = dequantization.outputCols(test.cols());
        if (rows != model.spec().height() || cols != model.spec().width()) {
            throw new DataException(uri() + ": images of " + rows + "x" + cols + " (as dequantized), but the model "
                    + model.name() + " is for " + model.spec().height() + "x" + model.spec().width());
        }
    }

    private RawImages read(int index) {
        if (index < 0 || index >= count()) {
            throw new DataException(uri() + ": no test image " + index + "; indices are 0.." + (count() - 1));
        }
        return new Shard(test.images(), test.labels(), index, 1).read(conf);
    }
}
