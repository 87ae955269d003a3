package io.glowspark.data;

import java.nio.file.Path;

import org.apache.hadoop.conf.Configuration;

/** The real MNIST files for tests, fetched once through {@link MnistFetcher} into the user cache that runs share. */
public final class MnistTestFiles {

    static final Path CACHE = Path.of(System.getProperty("user.home"), ".cache", "glow-spark", "mnist");

    private static Path dir;

    private MnistTestFiles() {
    }

    public static synchronized Path dir() {
        if (dir == null) {
            dir = new MnistFetcher(CACHE).fetch();
        }
        return dir;
    }

    /** MNIST's test images and labels, validated. */
    public static LabeledImages testSet() {
        MnistFileNames names = MnistFileNames.STANDARD;
        return LabeledImages.open(dir().toUri(), names.testImages(), names.testLabels(), new Configuration());
    }
}
