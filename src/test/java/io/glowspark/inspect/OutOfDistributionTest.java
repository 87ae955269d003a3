package io.glowspark.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Random;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

class OutOfDistributionTest {

    @Test
    void aurocIsTheShareOfPairsWhereTheOtherKindHasMoreBitsPerDimTiesCountingHalf() {
        // Pairs (in, out): (1, 2.5) (2, 2.5) (1, 4) (2, 4) (3, 4) above, (3, 2.5) below: 5 of 6.
        assertEquals(5.0 / 6, new OutOfDistribution(new double[] {3, 1, 2}, new double[] {2.5, 4}).auroc(), 1e-12);
        assertEquals(0.75, new OutOfDistribution(new double[] {1, 2}, new double[] {2}).auroc(), 1e-12);
        assertEquals(1.0, new OutOfDistribution(new double[] {1, 2}, new double[] {3, 5}).auroc(), 0.0);
        assertEquals(0.0, new OutOfDistribution(new double[] {3, 5}, new double[] {1, 2}).auroc(), 0.0);
        assertEquals(0.5, new OutOfDistribution(new double[] {2, 2}, new double[] {2, 2, 2}).auroc(), 0.0);
    }

    @Test
    void aurocEqualsCountingEveryPair() {
        Random rng = new Random(3);
        double[] in = new double[300];
        double[] out = new double[200];
        for (int i = 0; i < in.length; i++) {
            in[i] = Math.round(rng.nextGaussian() * 10) / 10.0;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.round((rng.nextGaussian() + 0.7) * 10) / 10.0;
        }
        double pairs = 0;
        for (double o : out) {
            for (double v : in) {
                pairs += o > v ? 1 : o == v ? 0.5 : 0;
            }
        }
        assertEquals(pairs / (in.length * out.length), new OutOfDistribution(in, out).auroc(), 1e-12);
    }

    @Test
    void theHistogramsDrawBothKindsAndAnEmptyKindIsRefused() throws IOException {
        OutOfDistribution check = new OutOfDistribution(new double[] {1.1, 1.2, 1.3, 1.25}, new double[] {2.0, 2.4, 1.9});
        assertEquals(1.2125, check.meanIn(), 1e-12);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(check.histograms("MNIST", "Fashion-MNIST").png()));
        assertTrue(ChartPixels.plotContains(image, 0x1f77b4) && ChartPixels.plotContains(image, 0xff7f0e), "both outlines in the plot");
        assertThrows(IllegalArgumentException.class, () -> new OutOfDistribution(new double[0], new double[] {1}));
    }
}
