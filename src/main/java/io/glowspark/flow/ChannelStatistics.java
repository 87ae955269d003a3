package io.glowspark.flow;

/** Mean and standard deviation of every channel over a batch: what data-dependent initialization needs. */
final class ChannelStatistics {

    private ChannelStatistics() {
    }

    /** Per channel of an NCHW tensor, over examples and pixels; the standard deviation is the unbiased estimate. */
    static void of(Tensor x, double[] mean, double[] std) {
        int map = x.pixels();
        long count = (long) x.batch() * map;
        for (int c = 0; c < x.channels(); c++) {
            double sum = 0;
            for (int n = 0; n < x.batch(); n++) {
                for (int i = x.offset(n, c), end = i + map; i < end; i++) {
                    sum += x.data()[i];
                }
            }
            double m = sum / count;
            double squares = 0;
            for (int n = 0; n < x.batch(); n++) {
                for (int i = x.offset(n, c), end = i + map; i < end; i++) {
                    double d = x.data()[i] - m;
                    squares += d * d;
                }
            }
            mean[c] = m;
            std[c] = Math.sqrt(squares / Math.max(1, count - 1));
        }
    }
}
