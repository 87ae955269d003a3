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
        double[] row = row(m.columns());
        double[] in = x.data();
        int map = x.pixels();
        for (int c = 0; c < x.channels(); c++) {
            for (int t = 0; t < TAPS; t++) {
                Shift s = new Shift(t, direction, x.height(), x.width());
                for (int n = 0; n < x.batch(); n++) {
                    int at = n * map;
                    int from = x.offset(n, c) + s.offset;
                    Arrays.fill(row, at, at + s.first, 0.0);
                    if (s.last > s.first) {
                        System.arraycopy(in, from + s.first, row, at + s.first, s.last - s.first);
                    }
                    Arrays.fill(row, at + s.last, at + map, 0.0);
                    for (int j = s.firstBorder; j < s.last; j += x.width()) {
                        row[at + j] = 0.0;
                    }
                }
                m.writeRow(c * TAPS + t, row);
            }
        }
    }

    /** Sets out from rows [0, out.channels() * 9) of m; m has N*H*W columns. */
    static void sumShifted(NativeMatrix m, int direction, Tensor out) {
        double[] row = row(m.columns());
        double[] o = out.data();
        int map = out.pixels();
        Arrays.fill(o, 0.0);
        for (int c = 0; c < out.channels(); c++) {
            for (int t = 0; t < TAPS; t++) {
                m.readRow(c * TAPS + t, row);
                Shift s = new Shift(t, direction, out.height(), out.width());
                for (int n = 0; n < out.batch(); n++) {
                    int target = out.offset(n, c);
                    int source = n * map + s.offset;
                    for (int j = s.first; j < s.last; j++) {
                        o[target + j] += row[source + j];
                    }
                    for (int j = s.firstBorder; j < s.last; j += out.width()) {
                        o[target + j] -= row[source + j];
                    }
                }
            }
        }
    }

    /**
     * Where tap t, in a direction, reads within one h x w map: the pixel at index j reads index j + offset.
     * Pixels in [first, last) have their source row inside the map; of these, those at firstBorder + k * w have
     * their source column outside it (the column the tap steps over the edge from), so they read a neighbouring
     * row's value: callers handle whole ranges in one loop and then correct those.
     */
    private static final class Shift {
        final int offset;
        final int first;
        final int last;
        final int firstBorder;

        Shift(int tap, int direction, int h, int w) {
            int dy = direction * (tap / SIZE - 1);
            int dx = direction * (tap % SIZE - 1);
            offset = dy * w + dx;
            int fromY = Math.max(0, -dy);
            int toY = Math.min(h, h - dy);
            if (toY <= fromY) {
                first = 0;
                last = 0;
                firstBorder = 0;
                return;
            }
            // the range's ends are moved past an edge pixel where reading it would leave the map's memory
            first = fromY * w + (dx < 0 ? 1 : 0);
            last = Math.max(first, toY * w - (dx > 0 ? 1 : 0));
            firstBorder = dx == 0 ? last : dx > 0 ? fromY * w + w - 1 : first + w - 1;
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
