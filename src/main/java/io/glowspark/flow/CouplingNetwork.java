package io.glowspark.flow;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;
import java.util.Random;

/**
 * The coupling layer's conditioner: 3x3 conv, ReLU, 1x1 conv, ReLU, 3x3 conv initialized to zero, so that
 * every coupling starts as the identity. Not invertible itself; it only has to be differentiable.
 */
final class CouplingNetwork {

    private static final double INIT_STD = 0.05;

    private final Parameter weight1;
    private final Parameter bias1;
    private final Parameter weight2;
    private final Parameter bias2;
    private final Parameter weight3;
    private final Parameter bias3;
    private INDArray lastX;
    private INDArray lastH1;
    private INDArray lastH2;

    CouplingNetwork(String name, int inChannels, int hidden, int outChannels) {
        weight1 = Parameter.trainable(name + ".conv1.weight", hidden, inChannels, 3, 3);
        bias1 = Parameter.trainable(name + ".conv1.bias", hidden);
        weight2 = Parameter.trainable(name + ".conv2.weight", hidden, hidden, 1, 1);
        bias2 = Parameter.trainable(name + ".conv2.bias", hidden);
        weight3 = Parameter.trainable(name + ".zeroConv.weight", outChannels, hidden, 3, 3);
        bias3 = Parameter.trainable(name + ".zeroConv.bias", outChannels);
    }

    INDArray forward(INDArray x) {
        lastX = x;
        lastH1 = Transforms.relu(Convolution.forward(x, weight1.value(), bias1.value()), false);
        lastH2 = Transforms.relu(Convolution.forward(lastH1, weight2.value(), bias2.value()), false);
        return Convolution.forward(lastH2, weight3.value(), bias3.value());
    }

    /**
     * Backpropagates dL/d(output) of the last forward; returns dL/dx. The hidden activations and their gradients
     * are the largest arrays of the whole flow (hidden x H x W per image), so they are freed here, not left to GC.
     */
    INDArray backward(INDArray gradOut) {
        Convolution.Gradients g3 = Convolution.backward(lastH2, weight3.value(), bias3.value(), gradOut);
        store(g3, weight3, bias3);
        INDArray gradH2 = reluBackward(g3.input(), lastH2);
        Convolution.Gradients g2 = Convolution.backward(lastH1, weight2.value(), bias2.value(), gradH2);
        store(g2, weight2, bias2);
        Tensors.release(gradH2, lastH2);
        INDArray gradH1 = reluBackward(g2.input(), lastH1);
        Convolution.Gradients g1 = Convolution.backward(lastX, weight1.value(), bias1.value(), gradH1);
        store(g1, weight1, bias1);
        Tensors.release(gradH1, lastH1);
        lastH1 = null;
        lastH2 = null;
        return g1.input();
    }

    private static void store(Convolution.Gradients g, Parameter weight, Parameter bias) {
        weight.setGradient(g.weights());
        bias.setGradient(g.bias());
        Tensors.release(g.weights(), g.bias());
    }

    private static INDArray reluBackward(INDArray grad, INDArray activation) {
        INDArray positive = activation.gt(0);
        INDArray mask = positive.castTo(grad.dataType());
        grad.muli(mask);
        Tensors.release(positive, mask);
        return grad;
    }

    void initializeParameters(Random rng) {
        for (Parameter w : List.of(weight1, weight2)) {
            double[] values = new double[(int) w.length()];
            for (int i = 0; i < values.length; i++) {
                values[i] = INIT_STD * rng.nextGaussian();
            }
            w.assign(values);
        }
        for (Parameter zero : List.of(bias1, bias2, weight3, bias3)) {
            zero.assign(0);
        }
    }

    List<Parameter> parameters() {
        return List.of(weight1, bias1, weight2, bias2, weight3, bias3);
    }
}
