package io.glowspark.flow;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

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
    private INDArray lastXb;
    private INDArray lastShift;
    private INDArray lastScale;

    public AffineCoupling(String name, int channels, int hidden) {
        this.passChannels = channels / 2;
        this.transformedChannels = channels - passChannels;
        this.network = new CouplingNetwork(name, passChannels, hidden, 2 * transformedChannels);
    }

    @Override
    public FlowOutput forward(INDArray x) {
        int c = passChannels + transformedChannels;
        INDArray xa = Tensors.channels(x, 0, passChannels);
        lastXb = Tensors.channels(x, passChannels, c);
        INDArray h = network.forward(xa);
        lastScale = scale(h);
        lastShift = Tensors.channels(h, transformedChannels, 2L * transformedChannels);
        INDArray yb = lastXb.add(lastShift).muli(lastScale);
        INDArray logDet = Tensors.sumPerExample(Transforms.log(lastScale, true));
        return new FlowOutput(Tensors.concatChannels(xa, yb), logDet);
    }

    @Override
    public INDArray inverse(INDArray y) {
        INDArray ya = Tensors.channels(y, 0, passChannels);
        INDArray yb = Tensors.channels(y, passChannels, passChannels + transformedChannels);
        INDArray h = network.forward(ya);
        INDArray xb = yb.divi(scale(h)).subi(Tensors.channels(h, transformedChannels, 2L * transformedChannels));
        return Tensors.concatChannels(ya, xb);
    }

    @Override
    public INDArray backward(INDArray gradY, INDArray gradLogDet) {
        INDArray gradYa = Tensors.channels(gradY, 0, passChannels);
        INDArray gradYb = Tensors.channels(gradY, passChannels, passChannels + transformedChannels);
        INDArray gradXb = gradYb.mul(lastScale);
        INDArray oneMinusScale = lastScale.rsub(1.0);
        // d/dh of y_b = (x_b + t) * sigmoid(h + 2) and of sum(log sigmoid(h + 2)) share the factor (1 - s)
        INDArray gradH = gradXb.mul(lastXb.add(lastShift)).addi(Tensors.perExample(gradLogDet)).muli(oneMinusScale);
        INDArray gradXa = gradYa.addi(network.backward(Tensors.concatChannels(gradH, gradXb)));
        return Tensors.concatChannels(gradXa, gradXb);
    }

    private INDArray scale(INDArray h) {
        return Transforms.sigmoid(Tensors.channels(h, 0, transformedChannels).addi(2.0), false);
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
