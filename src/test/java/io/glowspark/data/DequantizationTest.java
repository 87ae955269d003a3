package io.glowspark.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class DequantizationTest {

    /** Three 28x28 images holding every byte value (pixel p of image i is (7 * p + 31 * i) mod 256). */
    private static final RawImages IMAGES = images(100, 3);

    @Test
    void shapeAndType() {
        INDArray x = new Dequantization(8, false, 1).withNoise(IMAGES, 0);
        assertArrayEquals(new long[] {3, 1, 28, 28}, x.shape());
        assertEquals(DataType.FLOAT, x.dataType());
        assertEquals('c', x.ordering());
    }

    @Test
    void valuesAreInRangeAndKeepTheReducedBits() {
        for (int nBits = 1; nBits <= 8; nBits++) {
            Dequantization dq = new Dequantization(nBits, false, 7);
            float[] noisy = dq.withNoise(IMAGES, 0).data().asFloat();
            float[] clean = dq.withoutNoise(IMAGES).data().asFloat();
            int levels = 1 << nBits;
            for (int p = 0; p < noisy.length; p++) {
                int reduced = (IMAGES.pixels()[p] & 0xff) >> (8 - nBits);
                assertTrue(noisy[p] >= -0.5f && noisy[p] <= 0.5f, "value " + noisy[p]);
                assertEquals((float) reduced / levels - 0.5f, clean[p], 0f, "noise-free value of pixel " + p);
                assertEquals(reduced, (int) Math.floor((noisy[p] + 0.5) * levels), "bin of pixel " + p + ", n-bits " + nBits);
            }
        }
    }

    @Test
    void noiseIsDeterministicPerSeedAndEpochAndDiffersOtherwise() {
        Dequantization dq = new Dequantization(5, false, 42);
        INDArray epoch0 = dq.withNoise(IMAGES, 0);
        assertEquals(epoch0, new Dequantization(5, false, 42).withNoise(IMAGES, 0));
        assertNotEquals(epoch0, dq.withNoise(IMAGES, 1));
        assertNotEquals(epoch0, new Dequantization(5, false, 43).withNoise(IMAGES, 0));
        RawImages sameBytesLaterInTheFile = new RawImages(1, 28, 28, IMAGES.pixels(), IMAGES.labels());
        assertNotEquals(epoch0, dq.withNoise(sameBytesLaterInTheFile, 0));
    }

    @Test
    void paddingTo32AddsZeroPixelsBeforeTheNoise() {
        Dequantization dq = new Dequantization(3, true, 9);
        INDArray clean = dq.withoutNoise(IMAGES);
        INDArray noisy = dq.withNoise(IMAGES, 2);
        assertArrayEquals(new long[] {3, 1, 32, 32}, noisy.shape());
        INDArray unpadded = new Dequantization(3, false, 9).withoutNoise(IMAGES);
        float binWidth = 1f / 8;
        for (int i = 0; i < 3; i++) {
            for (int r = 0; r < 32; r++) {
                for (int c = 0; c < 32; c++) {
                    boolean border = r < 2 || r >= 30 || c < 2 || c >= 30;
                    float expected = border ? -0.5f : unpadded.getFloat(i, 0, r - 2, c - 2);
                    assertEquals(expected, clean.getFloat(i, 0, r, c), 0f, "clean " + i + "," + r + "," + c);
                    float u = noisy.getFloat(i, 0, r, c) - expected;
                    assertTrue(u >= 0 && u < binWidth, "noise " + u + " at " + i + "," + r + "," + c);
                }
            }
        }
        assertTrue(noisy.getFloat(0, 0, 0, 0) > -0.5f, "the border gets noise too");
    }

    private static RawImages images(int first, int count) {
        byte[] pixels = new byte[count * 28 * 28];
        for (int p = 0; p < pixels.length; p++) {
            pixels[p] = (byte) (7 * (p % 784) + 31 * (p / 784));
        }
        return new RawImages(first, 28, 28, pixels, new int[count]);
    }
}
