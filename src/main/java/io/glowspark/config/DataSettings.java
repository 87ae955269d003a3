package io.glowspark.config;

import java.io.Serializable;
import java.net.URI;
import java.nio.file.Path;

import io.glowspark.data.Dequantization;
import io.glowspark.data.MnistDataset;
import io.glowspark.data.MnistFetcher;
import io.glowspark.data.MnistFileNames;

/**
 * @param dir        directory of the IDX files, any Hadoop URI; empty: MNIST fetched into {@code cacheDir}
 * @param cacheDir   local cache directory for the fetched MNIST files
 * @param fileNames  names of the four IDX files (each also matches with .gz)
 * @param nBits      bits per pixel kept before dequantization, 1..8
 * @param padTo32    zero-pad the images to 32x32
 * @param trainLimit first N training images only; 0 means all
 * @param testLimit  first N test images only; 0 means all
 */
public record DataSettings(String dir, String cacheDir, MnistFileNames fileNames, int nBits, boolean padTo32,
                           int trainLimit, int testLimit) implements Serializable {

    static DataSettings read(SettingsReader r) {
        MnistFileNames names = new MnistFileNames(fileName(r, "data.train-images"), fileName(r, "data.train-labels"),
                fileName(r, "data.test-images"), fileName(r, "data.test-labels"));
        return new DataSettings(r.string("data.dir"), r.string("data.cache-dir"), names, r.intIn("data.n-bits", 1, 8),
                r.bool("data.pad-to-32"), r.intAtLeast("data.train-limit", 0), r.intAtLeast("data.test-limit", 0));
    }

    private static String fileName(SettingsReader r, String key) {
        String name = r.string(key);
        r.require(!name.isBlank() && !name.contains("/"), key, "must be a file name (non-empty, no '/'), got '" + name + "'");
        return name;
    }

    /** The image side the model sees for MNIST: 28, or 32 when padded. */
    public int modelImageSide() {
        return padTo32 ? Dequantization.PADDED_SIDE : MnistDataset.MNIST_SIDE;
    }

    /** {@link #dir} if set, otherwise the verified MNIST cache, fetched first if needed. */
    public URI resolveDir() {
        return MnistFetcher.dataDir(dir, Path.of(cacheDir));
    }

    public Dequantization dequantization(long seed) {
        return new Dequantization(nBits, padTo32, seed);
    }
}
