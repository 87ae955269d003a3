package io.glowspark.data;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Made-up IDX files for tests: one file of given items, or a data directory of random images on any file system. */
public final class SyntheticIdx {

    private SyntheticIdx() {
    }

    /**
     * A data directory {@code dir} under MNIST's file names: {@code count} training and {@code count} test images of
     * {@code side x side} uniform random pixels (from {@code new Random(seed)}), labelled 0..{@code largestLabel} in
     * turn.
     */
    public static void randomImages(FileSystem fs, Path dir, int count, int side, int largestLabel, long seed)
            throws IOException {
        MnistFileNames names = MnistFileNames.STANDARD;
        Random random = new Random(seed);
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) (i % (largestLabel + 1));
        }
        for (String[] set : new String[][] {{names.trainImages(), names.trainLabels()}, {names.testImages(), names.testLabels()}}) {
            byte[] pixels = new byte[count * side * side];
            random.nextBytes(pixels);
            try (OutputStream out = fs.create(new Path(dir, set[0]))) {
                write(out, IdxKind.IMAGES, count, side, pixels);
            }
            try (OutputStream out = fs.create(new Path(dir, set[1]))) {
                write(out, IdxKind.LABELS, count, 0, labels);
            }
        }
    }

    /** Writes an IDX file of {@code count} items: images of {@code side x side} pixels, or labels (side unused). */
    public static void write(OutputStream out, IdxKind kind, int count, int side, byte[] items) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(kind.magic());
        data.writeInt(count);
        if (kind == IdxKind.IMAGES) {
            data.writeInt(side);
            data.writeInt(side);
        }
        data.write(items);
        data.flush();
    }
}
