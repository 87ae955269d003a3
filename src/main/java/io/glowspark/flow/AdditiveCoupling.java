package io.glowspark.flow;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Random;

/** Additive coupling (NICE): y_b = x_b + NN(x_a), volume preserving. */
public final class AdditiveCoupling implements Bijector {

    private final int passChannels;
    private final int channels;
    private final CouplingNetwork network;

    public AdditiveCoupling(String name, int channels, int hidden) {
        this.channels = channels;
        this.passChannels = channels / 2;
        this.network = new CouplingNetwork(name, passChannels, hidden, channels - passChannels);
    }

    @Override
    public FlowOutput forward(INDArray x) {
        INDArray xa = Tensors.channels(x, 0, passChannels);
        INDArray yb = Tensors.channels(x, passChannels, channels).addi(network.forward(xa));
        return new FlowOutput(Tensors.concatChannels(xa, yb), Tensors.constantPerExample(x, 0));
    }

    @Override
    public INDArray inverse(INDArray y) {
        INDArray ya = Tensors.channels(y, 0, passChannels);
        INDArray xb = Tensors.channels(y, passChannels, channels).subi(network.forward(ya));
        return Tensors.concatChannels(ya, xb);
    }

    @Override
    public INDArray backward(INDArray gradY, INDArray gradLogDet) {
        INDArray gradYa = Tensors.channels(gradY, 0, passChannels);
        INDArray gradYb = Tensors.channels(gradY, passChannels, channels);
        return Tensors.concatChannels(gradYa.addi(network.backward(gradYb)), gradYb);
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
