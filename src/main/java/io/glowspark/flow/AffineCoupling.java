package io.glowspark.flow;

import java.util.List;
import java.util.Random;

/**
 * Affine coupling: the first half of the channels passes through and conditions the second,
 * y_b = (x_b + t) * s with (h, t) = NN(x_a) and s = sigmoid(h + 2); log-det = sum(log s).
 */
public final class AffineCoupling implements Bijector {

    private final int passChannels;
    private final int transformedChannels;
    private final CouplingNetwork network;
    private Tensor xa;
    private Tensor lastX;
    private Tensor lastNetOut;
    private double[] lastScale;
    private Tensor y;
    private double[] logDet;
    private Tensor ya;
    private Tensor inverse;
    private Tensor gradNet;
    private Tensor gradX;

    public AffineCoupling(String name, int channels, int hidden, GlowSpec.Conditioner conditioner) {
        this(name, channels, hidden, conditioner, new CouplingNetwork.Scratch());
    }

    /** A coupling whose network shares its pass-time buffers with the other couplings of {@code scratch}. */
    AffineCoupling(String name, int channels, int hidden, GlowSpec.Conditioner conditioner, CouplingNetwork.Scratch scratch) {
        this.passChannels = channels / 2;
        this.transformedChannels = channels - passChannels;
        this.network = new CouplingNetwork(name, passChannels, hidden, 2 * transformedChannels, conditioner, scratch);
    }

    @Override
    public FlowOutput forward(Tensor x) {
        return forward(x, false);
    }

    @Override
    public FlowOutput initializeFrom(Tensor x) {
        return forward(x, true);
    }

    private FlowOutput forward(Tensor x, boolean initialize) {
        xa = x.channels(0, passChannels, xa);
        lastNetOut = initialize ? network.initializeFrom(xa) : network.forward(xa);
        lastX = x;
        y = Tensor.reuse(y, x.batch(), x.channels(), x.height(), x.width());
        y.setChannels(0, xa);
        logDet = Tensor.reuse(logDet, x.batch());
        lastScale = Tensor.reuse(lastScale, x.batch() * transformedChannels * x.pixels());
        int map = x.pixels();
        for (int n = 0; n < x.batch(); n++) {
            double sumLogScale = 0;
            for (int c = 0; c < transformedChannels; c++) {
                int xb = x.offset(n, passChannels + c);
                int h = lastNetOut.offset(n, c);
                int t = lastNetOut.offset(n, transformedChannels + c);
                int s = (n * transformedChannels + c) * map;
                for (int p = 0; p < map; p++) {
                    double scale = sigmoid(lastNetOut.data()[h + p] + 2.0);
                    lastScale[s + p] = scale;
                    y.data()[xb + p] = (x.data()[xb + p] + lastNetOut.data()[t + p]) * scale;
                    sumLogScale += Math.log(scale);
                }
            }
            logDet[n] = sumLogScale;
        }
        return new FlowOutput(y, logDet);
    }

    @Override
    public Tensor inverse(Tensor out) {
        ya = out.channels(0, passChannels, ya);
        Tensor h = network.forward(ya);
        inverse = Tensor.reuse(inverse, out.batch(), out.channels(), out.height(), out.width());
        inverse.setChannels(0, ya);
        int map = out.pixels();
        for (int n = 0; n < out.batch(); n++) {
            for (int c = 0; c < transformedChannels; c++) {
                int yb = out.offset(n, passChannels + c);
                int hs = h.offset(n, c);
                int t = h.offset(n, transformedChannels + c);
                for (int p = 0; p < map; p++) {
                    inverse.data()[yb + p] = out.data()[yb + p] / sigmoid(h.data()[hs + p] + 2.0) - h.data()[t + p];
                }
            }
        }
        return inverse;
    }

    @Override
    public Tensor backward(Tensor gradY, double[] gradLogDet) {
        int map = gradY.pixels();
        gradNet = Tensor.reuse(gradNet, gradY.batch(), 2 * transformedChannels, gradY.height(), gradY.width());
        gradX = Tensor.reuse(gradX, gradY.batch(), gradY.channels(), gradY.height(), gradY.width());
        double[] g = gradY.data();
        for (int n = 0; n < gradY.batch(); n++) {
            for (int c = 0; c < transformedChannels; c++) {
                int b = gradY.offset(n, passChannels + c);
                int hs = gradNet.offset(n, c);
                int t = gradNet.offset(n, transformedChannels + c);
                int s = (n * transformedChannels + c) * map;
                for (int p = 0; p < map; p++) {
                    double scale = lastScale[s + p];
                    double gradXb = g[b + p] * scale;
                    double shifted = lastX.data()[b + p] + lastNetOut.data()[t + p];
                    // d/dh of y_b = (x_b + t) * sigmoid(h + 2) and of log sigmoid(h + 2) share the factor (1 - s)
                    gradNet.data()[hs + p] = (gradXb * shifted + gradLogDet[n]) * (1 - scale);
                    gradNet.data()[t + p] = gradXb;
                    gradX.data()[b + p] = gradXb;
                }
            }
        }
        Tensor gradXa = network.backward(gradNet);
        for (int n = 0; n < gradY.batch(); n++) {
            for (int i = gradY.offset(n, 0), j = gradXa.offset(n, 0), end = i + passChannels * map; i < end; i++, j++) {
                gradX.data()[i] = g[i] + gradXa.data()[j];
            }
        }
        return gradX;
    }

    private static double sigmoid(double v) {
        return 1.0 / (1.0 + Math.exp(-v));
    }

    @Override
    public void releaseBuffers() {
        network.releaseBuffers();
    }

    @Override
    public void initializeParameters(Random rng) {
        network.initializeParameters(rng);
    }

    @Override
    public List<Parameter> parameters() {
        return network.parameters();
    }
}
