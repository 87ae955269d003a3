package io.glowspark.inspect;

import java.awt.image.BufferedImage;

/** What a test can tell from a {@link LineChart}'s pixels. */
public final class ChartPixels {

    /** The legend's swatches have the series colors whatever the data: the plot area starts below them. */
    private static final int BELOW_LEGEND = 40;

    private ChartPixels() {
    }

    /** Whether a pixel of the plot area, below the legend, has the color {@code rgb}: something of a series is drawn. */
    public static boolean plotContains(BufferedImage image, int rgb) {
        for (int y = BELOW_LEGEND; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == rgb) {
                    return true;
                }
            }
        }
        return false;
    }
}
