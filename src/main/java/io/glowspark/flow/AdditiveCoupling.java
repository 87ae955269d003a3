package io.glowspark.flow;

import java.util.List;
import java.util.Random;

/** Additive coupling (NICE): y_b = x_b + NN(x_a), volume preserving. */
public final class AdditiveCoupling implements Bijector {

    private final int passChannels;
    private final CouplingNetwork network;
    private Tensor xa;
    private Tensor y;
    private double[] logDet;
    private Tensor ya;
    private Tensor inverse;
    private Tensor gradYb;
    private Tensor gradX;

    public AdditiveCoupling(String name, int channels, int hidden, GlowSpec.Conditioner conditioner) {
        this(name, channels, hidden, conditioner, new CouplingNetwork.Scratch());
    }

    /** A coupling whose network shares its pass-time buffers with the other couplings of {@code scratch}. */
    AdditiveCoupling(String name, int channels, int hidden, GlowSpec.Conditioner conditioner, CouplingNetwork.Scratch scratch) {
        this.passChannels = channels / 2;
        this.network = new CouplingNetwork(name, passChannels, hidden, channels - passChannels, conditioner, scratch);
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
        Tensor shift = initialize ? network.initializeFrom(xa) : network.forward(xa);
        y = Tensor.reuse(y, x.batch(), x.channels(), x.height(), x.width());
        addShift(x, shift, 1, y);
        logDet = Tensor.reuse(logDet, x.batch());
        return new FlowOutput(y, logDet);
    }

    @Override
    public Tensor inverse(Tensor out) {
        ya = out.channels(0, passChannels, ya);
        inverse = Tensor.reuse(inverse, out.batch(), out.channels(), out.height(), out.width());
        addShift(out, network.forward(ya), -1, inverse);
        return inverse;
    }

    /** into = x with sign * shift added to its second half of channels. */
    private void addShift(Tensor x, Tensor shift, int sign, Tensor into) {
        System.arraycopy(x.data(), 0, into.data(), 0, x.data().length);
        int transformed = (x.channels() - passChannels) * x.pixels();
        for (int n = 0; n < x.batch(); n++) {
            for (int i = x.offset(n, passChannels), j = shift.offset(n, 0), end = i + transformed; i < end; i++, j++) {
                into.data()[i] += sign * shift.data()[j];
            }
        }
    }

    @Override
    public Tensor backward(Tensor gradY, double[] gradLogDet) {
        gradYb = gradY.channels(passChannels, gradY.channels() - passChannels, gradYb);
        Tensor gradXa = network.backward(gradYb);
        gradX = Tensor.reuse(gradX, gradY.batch(), gradY.channels(), gradY.height(), gradY.width());
        System.arraycopy(gradY.data(), 0, gradX.data(), 0, gradY.data().length);
        int pass = passChannels * gradY.pixels();
        for (int n = 0; n < gradY.batch(); n++) {
            for (int i = gradX.offset(n, 0), j = gradXa.offset(n, 0), end = i + pass; i < end; i++, j++) {
                gradX.data()[i] += gradXa.data()[j];
            }
        }
        return gradX;
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
