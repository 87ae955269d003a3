package io.glowspark.data;

import java.io.Serializable;

/**
 * Images as read from an IDX file: {@code labels.length} images of {@code rows x cols} unsigned bytes, row-major,
 * the first one being item {@code first} of its file.
 */
public record RawImages(int first, int rows, int cols, byte[] pixels, int[] labels) implements Serializable {

    public int count() {
        return labels.length;
    }

    /** The pixel value 0..255 at row {@code r}, column {@code c} of image {@code i} (0-based within this shard). */
    public int pixel(int i, int r, int c) {
        return pixels[(i * rows + r) * cols + c] & 0xff;
    }

    public long pixelSum(int i) {
        long sum = 0;
        for (int p = i * rows * cols, end = p + rows * cols; p < end; p++) {
            sum += pixels[p] & 0xff;
        }
        return sum;
    }
}
