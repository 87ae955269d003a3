package io.glowspark.flow;

/** RealNVP's fixed permutation: the channel order reversed. Volume preserving, no parameters. */
public final class ChannelReversal implements Bijector {

    private Tensor y;
    private double[] logDet;
    private Tensor inverse;
    private Tensor gradX;

    @Override
    public FlowOutput forward(Tensor x) {
        y = reverse(x, y);
        logDet = Tensor.reuse(logDet, x.batch());
        return new FlowOutput(y, logDet);
    }

    @Override
    public Tensor inverse(Tensor out) {
        inverse = reverse(out, inverse);
        return inverse;
    }

    @Override
    public Tensor backward(Tensor gradY, double[] gradLogDet) {
        gradX = reverse(gradY, gradX);
        return gradX;
    }

    private static Tensor reverse(Tensor x, Tensor into) {
        Tensor out = Tensor.reuse(into, x.batch(), x.channels(), x.height(), x.width());
        for (int n = 0; n < x.batch(); n++) {
            for (int c = 0; c < x.channels(); c++) {
                System.arraycopy(x.data(), x.offset(n, c), out.data(), out.offset(n, x.channels() - 1 - c), x.pixels());
            }
        }
        return out;
    }
}
