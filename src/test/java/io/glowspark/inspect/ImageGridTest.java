package io.glowspark.inspect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ImageGridTest {

    private final INDArray images = Nd4j.rand(DataType.FLOAT, 5, 1, 4, 6).subi(0.5);

    @Test
    void pngIsAGridOfColumnsWithGaps() throws IOException {
        BufferedImage grid = ImageIO.read(new ByteArrayInputStream(ImageGrid.png(images, 3)));
        assertEquals(3 * (6 + 2) + 2, grid.getWidth());
        assertEquals(2 * (4 + 2) + 2, grid.getHeight());
    }

    @Test
    void htmlInlinesTheSamePng() {
        String html = ImageGrid.html(images, 3);
        String prefix = "<img src=\"data:image/png;base64,";
        assertTrue(html.startsWith(prefix) && html.endsWith("\">"), html);
        byte[] png = Base64.getDecoder().decode(html.substring(prefix.length(), html.length() - 2));
        assertArrayEquals(ImageGrid.png(images, 3), png);
    }
}
