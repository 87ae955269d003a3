package io.glowspark.inspect;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;

/** PNG encoding and inline HTML for the images this package renders. */
final class Png {

    private Png() {
    }

    static byte[] encode(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** An HTML {@code <img>} with the PNG inline, e.g. for a Zeppelin paragraph's {@code %html} output. */
    static String html(byte[] png) {
        return "<img src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png) + "\">";
    }
}
