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

    /** Rejects the data if its images are not {@code rows x cols}, the (unpadded) size the model is configured for. */
    public MnistDataset requireImageSize(int rows, int cols) {
        if (train.rows() != rows || train.cols() != cols) {
            throw DataException.of(train.images().uri(), "wrong image size: " + train.rows() + "x" + train.cols()
                    + ", the model is configured for " + rows + "x" + cols);
        }
        return this;
    }

    public MnistDataset limit(int trainLimit, int testLimit) {
        return new MnistDataset(train.limit(trainLimit), test.limit(testLimit));
    }
}
