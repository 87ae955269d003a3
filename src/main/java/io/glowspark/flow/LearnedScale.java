package io.glowspark.flow;

/**
 * A per-channel output scale exp(factor * logs) with logs initialized to zero, as on Glow's zero-initialized
 * convolutions (Conv2dZeros, factor 3): the layer still starts at zero, but its output can grow by a factor per step
 * of logs instead of by its weights alone.
 */
final class LearnedScale {

    private final Parameter logs;
    private final double factor;
    private double[] scale;
    private Tensor lastOutput;
    private Tensor gradInput;

    LearnedScale(String name, int channels, double factor) {
        this.logs = Parameter.trainable(name, channels);
        this.factor = factor;
    }

    /** Multiplies every channel of x by its scale, in place; x is remembered for {@link #backward}. */
    void apply(Tensor x) {
        double[] l = logs.read();
        scale = Tensor.reuse(scale, l.length);
        for (int c = 0; c < l.length; c++) {
            scale[c] = Math.exp(factor * l[c]);
        }
        multiplyChannels(x, scale, x);
        lastOutput = x;
    }

    /** Given dL/d(scaled output), stores dL/dlogs and returns dL/d(unscaled output). */
    Tensor backward(Tensor grad) {
        double[] gradLogs = new double[scale.length];
        double[] g = grad.data();
        double[] y = lastOutput.data();
        int map = grad.pixels();
        for (int n = 0; n < grad.batch(); n++) {
            for (int c = 0; c < grad.channels(); c++) {
                double sum = 0;
                for (int i = grad.offset(n, c), end = i + map; i < end; i++) {
                    sum += g[i] * y[i];
                }
                gradLogs[c] += factor * sum;
            }
        }
        logs.setGradient(gradLogs);
        gradInput = Tensor.reuse(gradInput, grad.batch(), grad.channels(), grad.height(), grad.width());
        multiplyChannels(grad, scale, gradInput);
        return gradInput;
    }

    void initialize() {
        logs.assign(0);
    }

    Parameter parameter() {
        return logs;
    }

    private static void multiplyChannels(Tensor x, double[] factors, Tensor out) {
        int map = x.pixels();
        for (int n = 0; n < x.batch(); n++) {
            for (int c = 0; c < x.channels(); c++) {
                double k = factors[c];
                for (int i = x.offset(n, c), end = i + map; i < end; i++) {
                    out.data()[i] = x.data()[i] * k;
                }
            }
        }
    }
}
