package io.glowspark.inspect;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.awt.image.BufferedImage;
import java.util.Base64;

/** Renders a batch of single-channel images with values in [-0.5, 0.5] as one grayscale PNG grid. */
public final class ImageGrid {

    private static final int GAP = 2;

    private ImageGrid() {
    }

    /** A grid with the given number of columns; images [N, 1, H, W], out-of-range values clipped. */
    public static byte[] png(INDArray images, int columns) {
        if (columns < 1) {
            throw new IllegalArgumentException("a grid needs at least 1 column, got " + columns);
        }
        int n = (int) images.size(0);
        int h = (int) images.size(2);
        int w = (int) images.size(3);
        int rows = (n + columns - 1) / columns;
        BufferedImage grid = new BufferedImage(columns * (w + GAP) + GAP, rows * (h + GAP) + GAP, BufferedImage.TYPE_BYTE_GRAY);
        float[] pixels = images.castTo(DataType.FLOAT).dup('c').data().asFloat();
        for (int i = 0; i < n; i++) {
            int x0 = GAP + (i % columns) * (w + GAP);
            int y0 = GAP + (i / columns) * (h + GAP);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float v = pixels[(i * h + y) * w + x];
                    int gray = Math.round(Math.max(0f, Math.min(1f, v + 0.5f)) * 255f);
                    grid.getRaster().setSample(x0 + x, y0 + y, 0, gray);
                }
            }
        }
        return Png.encode(grid);
    }

    /** The PNG grid, Base64-encoded. */
    public static String base64Png(INDArray images, int columns) {
        return Base64.getEncoder().encodeToString(png(images, columns));
    }

    /** An HTML {@code <img>} with the PNG grid inline, e.g. for a Zeppelin paragraph's {@code %html} output. */
    public static String html(INDArray images, int columns) {
        return Png.html(png(images, columns));
    }
}
