package io.glowspark.data;

import java.io.Serializable;

/** The names of the four IDX files inside a data directory; each also matches with a .gz suffix. */
public record MnistFileNames(String trainImages, String trainLabels, String testImages, String testLabels)
        implements Serializable {

    /** The names MNIST is published under (and that {@link MnistFetcher} caches). */
    public static final MnistFileNames STANDARD = new MnistFileNames(
            "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");
}
