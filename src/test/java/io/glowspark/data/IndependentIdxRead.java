package io.glowspark.data;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/** Reads MNIST items with plain java.io, bypassing the code under test, to check it against. */
final class IndependentIdxRead {

    private static final int IMAGE_HEADER = 16;
    private static final int LABEL_HEADER = 8;
    private static final int IMAGE_BYTES = 28 * 28;

    private IndependentIdxRead() {
    }

    static long pixelSum(Path imageFile, int index) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(imageFile.toFile(), "r")) {
            byte[] image = new byte[IMAGE_BYTES];
            file.seek(IMAGE_HEADER + (long) index * IMAGE_BYTES);
            file.readFully(image);
            long sum = 0;
            for (byte b : image) {
                sum += b & 0xff;
            }
            return sum;
        }
    }

    static long[] pixelSums(Path imageFile, int count) throws IOException {
        long[] sums = new long[count];
        for (int i = 0; i < count; i++) {
            sums[i] = pixelSum(imageFile, i);
        }
        return sums;
    }

    static int label(Path labelFile, int index) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(labelFile.toFile(), "r")) {
            file.seek(LABEL_HEADER + index);
            return file.readUnsignedByte();
        }
    }
}
