package io.glowspark.data;

import java.io.Serializable;
import java.net.URI;

import org.apache.hadoop.conf.Configuration;

/** The training and test sets of an MNIST-like data directory, validated from their headers only. */
public record MnistDataset(LabeledImages train, LabeledImages test) implements Serializable {

    /** Side length of MNIST's images. */
    public static final int MNIST_SIDE = 28;

    /** Locates and validates the four files in {@code dir}: headers, sizes, counts, and equal image sizes. */
    public static MnistDataset open(URI dir, MnistFileNames names, Configuration conf) {
        LabeledImages train = LabeledImages.open(dir, names.trainImages(), names.trainLabels(), conf);
        LabeledImages test = LabeledImages.open(dir, names.testImages(), names.testLabels(), conf);
        if (train.rows() != test.rows() || train.cols() != test.cols()) {
            throw DataException.of(test.images().uri(), "wrong image size: " + test.rows() + "x" + test.cols()
                    + ", but the training images " + train.images().uri() + " are " + train.rows() + "x" + train.cols());
        }
        return new MnistDataset(train, test);
    }

    /** Rejects the data unless its images are MNIST's 28x28, the size the model is configured for (before padding). */
    public MnistDataset requireMnistImageSize() {
        if (train.rows() != MNIST_SIDE || train.cols() != MNIST_SIDE) {
            throw DataException.of(train.images().uri(), "wrong image size: " + train.rows() + "x" + train.cols()
                    + ", the model is configured for MNIST's " + MNIST_SIDE + "x" + MNIST_SIDE
                    + " images (data.pad-to-32=true pads them to 32x32)");
        }
        return this;
    }

    public MnistDataset limit(int trainLimit, int testLimit) {
        return new MnistDataset(train.limit(trainLimit), test.limit(testLimit));
    }
}
