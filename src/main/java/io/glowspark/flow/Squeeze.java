package io.glowspark.flow;

/**
 * Space-to-depth: every 2x2 block of pixels becomes 4 channels, [N, C, H, W] -> [N, 4C, H/2, W/2]:
 * y[n, 4c + 2dy + dx, i, j] = x[n, c, 2i + dy, 2j + dx].
 */
public final class Squeeze implements Bijector {

    private Tensor y;
    private double[] logDet;
    private Tensor inverse;
    private Tensor gradX;

    @Override
    public FlowOutput forward(Tensor x) {
        y = Tensor.reuse(y, x.batch(), 4 * x.channels(), x.height() / 2, x.width() / 2);
        move(x, y, true);
        logDet = Tensor.reuse(logDet, x.batch());
        return new FlowOutput(y, logDet);
    }

    @Override
    public Tensor inverse(Tensor out) {
        inverse = Tensor.reuse(inverse, out.batch(), out.channels() / 4, 2 * out.height(), 2 * out.width());
        move(inverse, out, false);
        return inverse;
    }

    @Override
    public Tensor backward(Tensor gradY, double[] gradLogDet) {
        gradX = Tensor.reuse(gradX, gradY.batch(), gradY.channels() / 4, 2 * gradY.height(), 2 * gradY.width());
        move(gradX, gradY, false);
        return gradX;
    }

    /** Copies between the image layout and the squeezed one, in the direction asked. */
    private static void move(Tensor image, Tensor squeezed, boolean toSqueezed) {
        int h = squeezed.height();
        int w = squeezed.width();
        double[] a = image.data();
        double[] b = squeezed.data();
        for (int n = 0; n < image.batch(); n++) {
            for (int c = 0; c < image.channels(); c++) {
                int source = image.offset(n, c);
                for (int dy = 0; dy < 2; dy++) {
                    for (int dx = 0; dx < 2; dx++) {
                        int target = squeezed.offset(n, 4 * c + 2 * dy + dx);
                        for (int i = 0; i < h; i++) {
                            for (int j = 0; j < w; j++) {
                                int pixel = source + (2 * i + dy) * image.width() + 2 * j + dx;
                                if (toSqueezed) {
                                    b[target + i * w + j] = a[pixel];
                                } else {
                                    a[pixel] = b[target + i * w + j];
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
