package io.glowspark.inspect;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LineChartTest {

    @Test
    void rendersADecodablePngWithTheLinesAndSkipsNaN() throws IOException {
        LineChart chart = new LineChart("bits/dim", "epoch")
                .series("train", new double[]{0, 1, 2}, new double[]{Double.NaN, 3.1, 2.4})
                .series("test", new double[]{0, 1, 2}, new double[]{5.5, 3.0, 2.2});
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(chart.png()));
        assertEquals(640, image.getWidth());
        assertEquals(360, image.getHeight());
        int colored = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                int r = rgb >> 16;
                int b = rgb & 0xff;
                colored += Math.abs(r - b) > 80 ? 1 : 0;
            }
        }
        assertTrue(colored > 500, "line pixels: " + colored);

        String html = chart.html();
        assertTrue(html.startsWith("<img src=\"data:image/png;base64,"), html);
        byte[] png = Base64.getDecoder().decode(html.substring(html.indexOf(',') + 1, html.lastIndexOf('"')));
        assertNotEquals(null, ImageIO.read(new ByteArrayInputStream(png)));
    }

    @Test
    void emptyOrFlatSeriesStillRenderAndMismatchedLengthsAreRefused() throws IOException {
        assertNotEquals(null, ImageIO.read(new ByteArrayInputStream(new LineChart("empty", "t").png())));
        assertNotEquals(null, ImageIO.read(new ByteArrayInputStream(
                new LineChart("flat", "t").series("s", new double[]{1}, new double[]{7}).png())));
        assertThrows(IllegalArgumentException.class, () -> new LineChart("bad", "t").series("s", new double[2], new double[3]));
    }
}
