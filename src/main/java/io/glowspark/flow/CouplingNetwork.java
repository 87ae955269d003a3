package io.glowspark.flow;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;
import java.util.Random;

/**
 * The coupling layer's conditioner: 3x3 conv, ReLU, 1x1 conv, ReLU, 3x3 conv initialized to zero, so that
 * every coupling starts as the identity. Not invertible itself; it only has to be differentiable.
 *
 * <p>The hidden activations live as [hidden, N*H*W] matrices, so that every convolution, forward and backward,
 * is one large gemm: the first 3x3 conv multiplies its weights with the input's {@link Patches}, and the zero
 * conv computes one output map per kernel tap and folds them back onto the pixels. On one core this is about
 * twice as fast as libnd4j's conv2d / conv2d_bp, whose oneDNN kernels are slow for the narrow 2->128 and 128->4
 * shapes. The parameters keep the usual [out, in, kH, kW] layout.
 */
final class CouplingNetwork {

    private static final double INIT_STD = 0.05;

    private final Parameter weight1;
    private final Parameter bias1;
    private final Parameter weight2;
    private final Parameter bias2;
    private final Parameter weight3;
    private final Parameter bias3;
    private long[] lastShape;
    private INDArray lastPatches;
    private INDArray lastH1;
    private INDArray lastH2;
    private INDArray lastTapMatrix;

    CouplingNetwork(String name, int inChannels, int hidden, int outChannels) {
        weight1 = Parameter.trainable(name + ".conv1.weight", hidden, inChannels, Patches.SIZE, Patches.SIZE);
        bias1 = Parameter.trainable(name + ".conv1.bias", hidden);
        weight2 = Parameter.trainable(name + ".conv2.weight", hidden, hidden, 1, 1);
        bias2 = Parameter.trainable(name + ".conv2.bias", hidden);
        weight3 = Parameter.trainable(name + ".zeroConv.weight", outChannels, hidden, Patches.SIZE, Patches.SIZE);
        bias3 = Parameter.trainable(name + ".zeroConv.bias", outChannels);
    }

    INDArray forward(INDArray x) {
        lastShape = x.shape();
        lastPatches = Patches.extract(x);
        lastH1 = reluWithBias(Matrices.product(asMatrix(weight1), false, lastPatches, false), bias1);
        lastH2 = reluWithBias(Matrices.product(asMatrix(weight2), false, lastH1, false), bias2);
        lastTapMatrix = tapMatrix(weight3.value());
        INDArray taps = Matrices.product(lastTapMatrix, false, lastH2, false);
        INDArray out = Patches.fold(taps, lastShape[0], lastShape[2], lastShape[3]);
        Tensors.release(taps);
        return out.addi(Tensors.perChannel(bias3.value()));
    }

    /**
     * Backpropagates dL/d(output) of the last forward; returns dL/dx. The hidden activations and their gradients
     * are the largest arrays of the whole flow (hidden x H x W per image), so they are freed here, not left to GC.
     */
    INDArray backward(INDArray gradOut) {
        INDArray gradTaps = Patches.extract(gradOut);
        setGradient(weight3, weightsFromTapMatrix(Matrices.product(gradTaps, false, lastH2, true), weight3.shape()));
        setGradient(bias3, gradOut.sum(0, 2, 3));
        INDArray gradH2 = reluBackward(Matrices.product(lastTapMatrix, true, gradTaps, false), lastH2);
        Tensors.release(gradTaps, lastTapMatrix, lastH2);

        setGradient(weight2, Matrices.product(gradH2, false, lastH1, true));
        setGradient(bias2, Matrices.rowSums(gradH2));
        INDArray gradH1 = reluBackward(Matrices.product(asMatrix(weight2), true, gradH2, false), lastH1);
        Tensors.release(gradH2, lastH1);

        setGradient(weight1, Matrices.product(gradH1, false, lastPatches, true));
        setGradient(bias1, Matrices.rowSums(gradH1));
        INDArray gradPatches = Matrices.product(asMatrix(weight1), true, gradH1, false);
        INDArray gradX = Patches.fold(gradPatches, lastShape[0], lastShape[2], lastShape[3]);
        Tensors.release(gradH1, gradPatches, lastPatches);
        lastPatches = null;
        lastH1 = null;
        lastH2 = null;
        lastTapMatrix = null;
        return gradX;
    }

    /** [out, in, kH, kW] weights as the [out, in*kH*kW] matrix that multiplies a patch matrix. */
    private static INDArray asMatrix(Parameter weight) {
        long[] s = weight.shape();
        return weight.value().reshape(s[0], s[1] * s[2] * s[3]);
    }

    /**
     * The zero conv's [out, in, 3, 3] weights as rows (out channel, tap) over the input channels, taps mirrored:
     * folding (the adjoint of patch extraction) scatters where the convolution gathers.
     */
    private static INDArray tapMatrix(INDArray weights) {
        long out = weights.size(0);
        long in = weights.size(1);
        INDArray mirrored = mirrorTaps(weights.reshape(out * in, Patches.TAPS));
        INDArray matrix = mirrored.reshape(out, in, Patches.TAPS).permute(0, 2, 1).dup('c')
                .reshape(out * Patches.TAPS, in);
        Tensors.release(mirrored);
        return matrix;
    }

    /** The inverse of {@link #tapMatrix}: a [out*9, in] tap matrix back to [out*in, 9] weights. */
    private static INDArray weightsFromTapMatrix(INDArray matrix, long[] shape) {
        INDArray perTap = matrix.reshape(shape[0], Patches.TAPS, shape[1]).permute(0, 2, 1).dup('c')
                .reshape(shape[0] * shape[1], Patches.TAPS);
        INDArray weights = mirrorTaps(perTap);
        Tensors.release(perTap, matrix);
        return weights;
    }

    /** Reverses the order of the 9 taps in each row: a product with the 9x9 exchange matrix. */
    private static INDArray mirrorTaps(INDArray rows) {
        INDArray exchange = Nd4j.create(rows.dataType(), Patches.TAPS, Patches.TAPS);
        for (int t = 0; t < Patches.TAPS; t++) {
            exchange.putScalar(t, Patches.TAPS - 1 - t, 1.0);
        }
        INDArray mirrored = Matrices.product(rows, false, exchange, false);
        Tensors.release(exchange);
        return mirrored;
    }

    private static INDArray reluWithBias(INDArray preActivation, Parameter bias) {
        preActivation.addiColumnVector(bias.value().reshape(bias.length(), 1));
        return Transforms.relu(preActivation, false);
    }

    private static void setGradient(Parameter parameter, INDArray gradient) {
        parameter.setGradient(gradient);
        Tensors.release(gradient);
    }

    /** dL/d(pre-activation), written over grad; the ReLU's output is 0 or positive, so its sign is the mask. */
    private static INDArray reluBackward(INDArray grad, INDArray activation) {
        INDArray mask = Transforms.sign(activation, true);
        grad.muli(mask);
        Tensors.release(mask);
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
