package io.glowspark.flow;

import java.util.Arrays;

/**
 * The two data movements that turn a 3x3, stride-1, zero-padded convolution into one matrix product, on matrices
 * whose rows are (channel, tap) with the taps in row-major kernel order and whose columns are (example, y, x).
 * Tap t looks at offset (dy, dx) = (t / 3 - 1, t % 3 - 1); a direction of -1 mirrors every offset, which is what
 * the backward passes need.
 *
 * <ul>
 *   <li>{@link #extract}: m[(c, t), (n, y, x)] = x[n, c, y + s dy, x + s dx], zero outside the image. With s = +1
 *   this is im2col: a convolution with few input channels is W x m.</li>
 *   <li>{@link #sumShifted}: out[n, o, y, x] = sum_t m[(o, t), (n, y + s dy, x + s dx)]. After the product
 *   T x h, where T holds a wide convolution's weights as rows (output channel, tap), this completes the convolution
 *   without ever building h's large patch matrix; with s = -1 it is col2im, the adjoint of extract.</li>
 * </ul>
 */
final class Patches {

    static final int SIZE = 3;
    static final int TAPS = SIZE * SIZE;

    private static final ThreadLocal<double[]> ROW = ThreadLocal.withInitial(() -> new double[0]);

    private Patches() {
    }

    /** Writes rows [0, C * 9) of m from x; m has N*H*W columns. */
    static void extract(Tensor x, int direction, NativeMatrix m) {
        int h = x.height();
        int w = x.width();
        double[] row = row(m.columns());
        double[] in = x.data();
        for (int c = 0; c < x.channels(); c++) {
            for (int t = 0; t < TAPS; t++) {
                int dy = direction * (t / SIZE - 1);
                int dx = direction * (t % SIZE - 1);
                int fromX = Math.max(0, -dx);
                int toX = Math.min(w, w - dx);
                int at = 0;
                for (int n = 0; n < x.batch(); n++) {
                    int map = x.offset(n, c);
                    for (int y = 0; y < h; y++, at += w) {
                        int yy = y + dy;
                        if (yy < 0 || yy >= h) {
                            Arrays.fill(row, at, at + w, 0.0);
                            continue;
                        }
                        for (int xx = 0; xx < fromX; xx++) {
                            row[at + xx] = 0.0;
                        }
                        System.arraycopy(in, map + yy * w + fromX + dx, row, at + fromX, toX - fromX);
                        for (int xx = toX; xx < w; xx++) {
                            row[at + xx] = 0.0;
                        }
                    }
                }
                m.writeRow(c * TAPS + t, row);
            }
        }
    }

    /** Sets out from rows [0, out.channels() * 9) of m; m has N*H*W columns. */
    static void sumShifted(NativeMatrix m, int direction, Tensor out) {
        int h = out.height();
        int w = out.width();
        double[] row = row(m.columns());
        double[] o = out.data();
        Arrays.fill(o, 0.0);
        for (int c = 0; c < out.channels(); c++) {
            for (int t = 0; t < TAPS; t++) {
                m.readRow(c * TAPS + t, row);
                int dy = direction * (t / SIZE - 1);
                int dx = direction * (t % SIZE - 1);
                int fromX = Math.max(0, -dx);
                int toX = Math.min(w, w - dx);
                for (int n = 0; n < out.batch(); n++) {
                    int map = out.offset(n, c);
                    int image = n * h * w;
                    for (int y = Math.max(0, -dy); y < Math.min(h, h - dy); y++) {
                        int target = map + y * w;
                        int source = image + (y + dy) * w + dx;
                        for (int xx = fromX; xx < toX; xx++) {
                            o[target + xx] += row[source + xx];
                        }
                    }
                }
            }
        }
    }

    private static double[] row(int length) {
        double[] row = ROW.get();
        if (row.length < length) {
            row = new double[length];
            ROW.set(row);
        }
        return row;
    }
}
