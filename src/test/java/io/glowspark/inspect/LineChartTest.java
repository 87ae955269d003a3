package io.glowspark.inspect;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LineChartTest {

    private static final int TRAIN = 0x1f77b4;
    private static final int TEST = 0xff7f0e;
    private static final int FRAME = 0x808080;

    @Test
    void everyPointSitsWhereItsValuesPutItInThePlotAndNaNIsLeftOut() throws IOException {
        LineChart chart = new LineChart("bits/dim", "epoch")
                .series("train", new double[]{0, 1, 2}, new double[]{Double.NaN, 3.1, 2.4})
                .series("test", new double[]{0, 1, 2}, new double[]{5.5, 3.0, 2.2});
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(chart.png()));
        assertEquals(640, image.getWidth());
        assertEquals(360, image.getHeight());

        // x spans the data exactly, y the data with a 5% margin above and below: 2.2 .. 5.5 widened by 0.165.
        Rectangle plot = frame(image);
        double yLow = 2.2 - 0.165;
        double yHigh = 5.5 + 0.165;
        double[][] points = {{1, 3.1, TRAIN}, {2, 2.4, TRAIN}, {0, 5.5, TEST}, {1, 3.0, TEST}, {2, 2.2, TEST}};
        for (double[] p : points) {
            int x = plot.x + (int) Math.round(p[0] / 2 * plot.width);
            int y = plot.y + plot.height - (int) Math.round((p[1] - yLow) / (yHigh - yLow) * plot.height);
            assertEquals(Integer.toHexString((int) p[2]), Integer.toHexString(image.getRGB(x, y) & 0xffffff),
                    "the point (" + p[0] + ", " + p[1] + ") at pixel " + x + ", " + y);
        }
        int firstTrainX = plot.x + plot.width / 2;
        for (int y = plot.y; y < plot.y + plot.height; y++) {
            for (int x = plot.x; x < firstTrainX - 4; x++) {
                assertNotEquals(TRAIN, image.getRGB(x, y) & 0xffffff, "nothing of train's NaN at epoch 0, pixel " + x + ", " + y);
            }
        }

        String html = chart.html();
        assertTrue(html.startsWith("<img src=\"data:image/png;base64,"), html);
        byte[] png = Base64.getDecoder().decode(html.substring(html.indexOf(',') + 1, html.lastIndexOf('"')));
        assertNotEquals(null, ImageIO.read(new ByteArrayInputStream(png)));
    }

    /** The plot area: the gray frame's left, right, top and bottom lines, found on the image's middle row and column. */
    private static Rectangle frame(BufferedImage image) {
        int[] across = frameLines(image.getWidth(), x -> image.getRGB(x, image.getHeight() / 2));
        int[] down = frameLines(image.getHeight(), y -> image.getRGB(image.getWidth() / 2, y));
        assertTrue(across[0] >= 0 && across[1] > across[0] && down[0] >= 0 && down[1] > down[0], "the plot frame");
        return new Rectangle(across[0], down[0], across[1] - across[0], down[1] - down[0]);
    }

    /** The first and the last of {@code length} pixels that have the frame's color, -1 if none. */
    private static int[] frameLines(int length, IntUnaryOperator rgbAt) {
        int first = -1;
        int last = -1;
        for (int i = 0; i < length; i++) {
            if ((rgbAt.applyAsInt(i) & 0xffffff) == FRAME) {
                first = first < 0 ? i : first;
                last = i;
            }
        }
        return new int[] {first, last};
    }

    @Test
    void emptyOrFlatSeriesStillRenderAndMismatchedLengthsAreRefused() throws IOException {
        assertNotEquals(null, ImageIO.read(new ByteArrayInputStream(new LineChart("empty", "t").png())));
        assertNotEquals(null, ImageIO.read(new ByteArrayInputStream(
                new LineChart("flat", "t").series("s", new double[]{1}, new double[]{7}).png())));
        assertThrows(IllegalArgumentException.class, () -> new LineChart("bad", "t").series("s", new double[2], new double[3]));
    }

    @Test
    void histogramsOfValuesWithFarOutliersSpanUpToTheNinetyNinthPercentileAndSayHowManyLieAbove() {
        double[] many = new double[198];
        for (int i = 0; i < many.length; i++) {
            many[i] = 1 + i / 100.0;
        }
        Map<String, double[]> samples = new LinkedHashMap<>();
        samples.put("a", many);
        samples.put("b", new double[] {0.5, 3.0, 700_000, Double.NaN});
        // 201 finite values: the 99% quantile is the 199th smallest, 2.97; 3.0 and 700,000 lie above.
        LineChart.Span span = LineChart.Span.of(samples);
        assertEquals(0.5, span.min());
        assertEquals(2.97, span.upper(), 1e-12);
        assertEquals(2, span.above());
        assertEquals("bits/dim (2 values above 2.970 in the last bin)",
                LineChart.histograms("t", "bits/dim", 10, samples).xLabel());
        // Without the outliers the largest value, 2.97, lies 0.01 above the quantile, 2.96: the bins span them all.
        assertEquals(new LineChart.Span(1, many[many.length - 1], 0), LineChart.Span.of(Map.of("a", many)));
        assertEquals("bits/dim", LineChart.histograms("t", "bits/dim", 10, Map.of("a", many)).xLabel());
    }

    @Test
    void binsHoldTheFractionOfTheFiniteValuesTheLastBinClosed() {
        double[] fractions = LineChart.binFractions(new double[]{0, 0.5, 1.0, 1.5, 2.0, Double.NaN}, 0, 1, 2);
        assertArrayEquals(new double[]{0.4, 0.6}, fractions, 1e-12);
    }
}
