package io.glowspark.flow;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * Stride-1, same-padded 2-D convolution of NCHW arrays with [out, in, k, k] weights, and its backward pass:
 * libnd4j's conv2d / conv2d_bp custom ops. The reference the flow's own convolutions are tested against.
 */
final class Convolution {

    private static final int NCHW = 0;
    private static final int WEIGHTS_OIYX = 1;

    /** Gradients of a convolution with respect to its input, weights and bias (null without a bias). */
    record Gradients(INDArray input, INDArray weights, INDArray bias) {
    }

    private Convolution() {
    }

    static INDArray forward(INDArray x, INDArray weights, INDArray bias) {
        long[] s = x.shape();
        INDArray out = Nd4j.create(x.dataType(), s[0], weights.size(0), s[2], s[3]);
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d")
                .addInputs(inputs(x.dup('c'), weights, bias))
                .addOutputs(out)
                .addIntegerArguments(arguments(weights));
        Nd4j.exec(op.build());
        return out;
    }

    static Gradients backward(INDArray x, INDArray weights, INDArray bias, INDArray gradOut) {
        INDArray gradInput = Nd4j.create(x.dataType(), x.shape());
        INDArray gradWeights = Nd4j.create(weights.dataType(), weights.shape());
        INDArray gradBias = bias == null ? null : Nd4j.create(bias.dataType(), bias.shape());
        INDArray[] outputs = bias == null
                ? new INDArray[]{gradInput, gradWeights}
                : new INDArray[]{gradInput, gradWeights, gradBias};
        INDArray[] in = inputs(x.dup('c'), weights, bias);
        INDArray[] inWithGrad = Arrays.copyOf(in, in.length + 1);
        inWithGrad[in.length] = gradOut.dup('c');
        Nd4j.exec(DynamicCustomOp.builder("conv2d_bp")
                .addInputs(inWithGrad)
                .addOutputs(outputs)
                .addIntegerArguments(arguments(weights))
                .build());
        return new Gradients(gradInput, gradWeights, gradBias);
    }

    private static INDArray[] inputs(INDArray x, INDArray weights, INDArray bias) {
        return bias == null ? new INDArray[]{x, weights} : new INDArray[]{x, weights, bias};
    }

    private static int[] arguments(INDArray weights) {
        int k = (int) weights.size(2);
        int pad = k / 2;
        return new int[]{k, k, 1, 1, pad, pad, 1, 1, 0, NCHW, WEIGHTS_OIYX};
    }
}
