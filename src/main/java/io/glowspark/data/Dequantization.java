package io.glowspark.data;

import java.io.Serializable;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns raw 8-bit images into the flow's continuous input: keep {@code nBits} bits (x >> (8 - nBits)), optionally
 * zero-pad to 32x32, add uniform noise u in [0, 1) and scale to [-0.5, 0.5] as (x + u) / 2^nBits - 0.5.
 * The noise comes from a generator seeded by (seed, first item of the shard, epoch): reproducible, and new each epoch.
 */
public record Dequantization(int nBits, boolean padTo32, long seed) implements Serializable {

    public static final int PADDED_SIDE = 32;

    public Dequantization {
        if (nBits < 1 || nBits > 8) {
            throw new IllegalArgumentException("n-bits must be in 1..8, got " + nBits);
        }
    }

    /** Side lengths of the output for {@code rows x cols} input images. */
    public int outputRows(int rows) {
        return padTo32 ? PADDED_SIDE : rows;
    }

    public int outputCols(int cols) {
        return padTo32 ? PADDED_SIDE : cols;
    }

    /** Float array [N, 1, H, W], order 'c', with dequantization noise for {@code epoch}. */
    public INDArray withNoise(RawImages images, int epoch) {
        return toArray(images, new SplittableRandom(noiseSeed(images.first(), epoch)));
    }

    /** The same without noise (u = 0): x / 2^nBits - 0.5. */
    public INDArray withoutNoise(RawImages images) {
        return toArray(images, null);
    }

    long noiseSeed(long firstItem, int epoch) {
        final long golden = 0x9E3779B97F4A7C15L;
        return (seed * golden + firstItem) * golden + epoch;
    }

    private INDArray toArray(RawImages images, SplittableRandom noise) {
        int rows = images.rows();
        int cols = images.cols();
        int outRows = outputRows(rows);
        int outCols = outputCols(cols);
        if (outRows < rows || outCols < cols) {
            throw new IllegalArgumentException("cannot pad " + rows + "x" + cols + " images to " + outRows + "x" + outCols);
        }
        int top = (outRows - rows) / 2;
        int left = (outCols - cols) / 2;
        int shift = 8 - nBits;
        float scale = 1f / (1 << nBits);
        int n = images.count();
        float[] out = new float[n * outRows * outCols];
        int o = 0;
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < outRows; r++) {
                for (int c = 0; c < outCols; c++) {
                    int ir = r - top;
                    int ic = c - left;
                    boolean inside = ir >= 0 && ir < rows && ic >= 0 && ic < cols;
                    int quantized = inside ? images.pixel(i, ir, ic) >> shift : 0;
                    // 24 random bits give a float in [0, 1) exactly; nextDouble() cast to float can round up to 1.
                    float u = noise == null ? 0f : noise.nextInt(1 << 24) * 0x1.0p-24f;
                    out[o++] = (quantized + u) * scale - 0.5f;
                }
            }
        }
        return Nd4j.create(out, new long[] {n, 1, outRows, outCols}, 'c');
    }
}
