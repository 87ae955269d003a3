package io.glowspark.inspect;

import java.net.URI;

import io.glowspark.data.DataException;
import io.glowspark.data.Dequantization;
import io.glowspark.data.LabeledImages;
import io.glowspark.data.MnistFileNames;
import io.glowspark.data.RawImages;
import io.glowspark.data.Shard;
import org.apache.hadoop.conf.Configuration;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The test images and labels of an MNIST-like IDX directory on any Hadoop file system, dequantized as the run's
 * model sees them. Only the items asked for are read.
 */
public final class TestSet {

    private static final int EVALUATION_BATCH = 500;

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
     * Mean bits per dimension of the model over all these images, with dequantization noise as in training's test
     * score (the run's seed, epoch 0), so a checkpoint's own test set gives about its recorded test bits/dim.
     */
    public double bitsPerDim(TrainedGlow model) {
        requireSizeOf(model);
        double sum = 0;
        for (Shard shard : test.shards(Math.max(1, (count() + EVALUATION_BATCH - 1) / EVALUATION_BATCH))) {
            sum += model.bitsPerDim(dequantization.withNoise(shard.read(conf), 0)) * shard.count();
        }
        return sum / count();
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
