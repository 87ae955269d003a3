package io.glowspark.flow;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An invertible 1x1 convolution y = W x at every pixel; log-det = H * W * log|det W|.
 * Subclasses say how W is parameterized and how dL/dW reaches their parameters.
 */
abstract class ChannelMixing implements Bijector {

    protected final int channels;
    private INDArray lastX;
    private INDArray lastKernel;

    ChannelMixing(int channels) {
        this.channels = channels;
    }

    /** The C x C mixing matrix from the current parameters. */
    protected abstract INDArray weight();

    /** log|det W|. */
    protected abstract double logAbsDetWeight();

    /**
     * Stores the parameter gradients given dL/dW of the convolution and dL/d(log|det W|) summed over the batch, for
     * the W of the last forward pass.
     */
    protected abstract void backwardWeight(INDArray gradWeight, double gradLogAbsDet);

    @Override
    public FlowOutput forward(INDArray x) {
        lastX = x;
        lastKernel = asKernel(weight());
        INDArray y = Convolution.forward(x, lastKernel, null);
        return new FlowOutput(y, Tensors.constantPerExample(x, Tensors.pixels(x) * logAbsDetWeight()));
    }

    @Override
    public INDArray inverse(INDArray y) {
        INDArray inverse = SmallMatrix.toArray(SmallMatrix.inverse(SmallMatrix.of(weight())), y.dataType());
        return Convolution.forward(y, asKernel(inverse), null);
    }

    @Override
    public INDArray backward(INDArray gradY, INDArray gradLogDet) {
        Convolution.Gradients g = Convolution.backward(lastX, lastKernel, null, gradY);
        backwardWeight(g.weights().reshape(channels, channels), Tensors.pixels(gradY) * gradLogDet.sumNumber().doubleValue());
        return g.input();
    }

    private INDArray asKernel(INDArray w) {
        return w.reshape(channels, channels, 1, 1);
    }
}
