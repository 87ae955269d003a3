package io.glowspark.data;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real Fashion-MNIST files for tests, as Debian's dataset-fashion-mnist package installs them (.ci/run installs
 * it): MNIST's format and file names, gzipped.
 */
public final class FashionMnistFiles {

    public static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");

    private FashionMnistFiles() {
    }

    public static Path dir() {
        if (!Files.isRegularFile(DIR.resolve(MnistFileNames.STANDARD.testImages() + IdxFile.GZIP_SUFFIX))) {
            throw new IllegalStateException("no Fashion-MNIST in " + DIR + ": install Debian's dataset-fashion-mnist "
                    + "package (apt-get install dataset-fashion-mnist), as .ci/run does");
        }
        return DIR;
    }
}
