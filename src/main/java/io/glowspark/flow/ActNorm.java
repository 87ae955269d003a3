package io.glowspark.flow;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;

/**
 * Activation normalization: y = (x + bias) * exp(logScale), per channel; log-det = H * W * sum(logScale).
 * The first batch initializes bias and logScale so that y has zero mean and unit variance per channel; the
 * {@code initialized} flag is a fixed parameter, so a restored model is never initialized again.
 */
public final class ActNorm implements Bijector {

    private final String name;
    private final Parameter logScale;
    private final Parameter bias;
    private final Parameter initialized;
    private INDArray lastY;

    public ActNorm(String name, int channels) {
        this.name = name;
        this.logScale = Parameter.trainable(name + ".logScale", channels);
        this.bias = Parameter.trainable(name + ".bias", channels);
        this.initialized = Parameter.fixed(name + ".initialized", 1);
    }

    public boolean isInitialized() {
        return initialized.value().getDouble(0) != 0;
    }

    @Override
    public FlowOutput forward(INDArray x) {
        if (!isInitialized()) {
            throw new IllegalStateException(name + " has not been initialized from data: run the ActNorm "
                    + "initialization pass on a first batch before training or evaluating");
        }
        INDArray scale = Transforms.exp(logScale.value(), true);
        lastY = x.add(Tensors.perChannel(bias.value())).muli(Tensors.perChannel(scale));
        return new FlowOutput(lastY, Tensors.constantPerExample(x, Tensors.pixels(x) * logScale.value().sumNumber().doubleValue()));
    }

    @Override
    public INDArray inverse(INDArray y) {
        INDArray invScale = Transforms.exp(logScale.value().neg(), false);
        return y.mul(Tensors.perChannel(invScale)).subi(Tensors.perChannel(bias.value()));
    }

    @Override
    public INDArray backward(INDArray gradY, INDArray gradLogDet) {
        INDArray scale = Transforms.exp(logScale.value(), true);
        INDArray gradX = gradY.mul(Tensors.perChannel(scale));
        bias.setGradient(gradX.sum(0, 2, 3));
        INDArray fromLogDet = logScale.value().like().assign(Tensors.pixels(gradY) * gradLogDet.sumNumber().doubleValue());
        logScale.setGradient(gradY.mul(lastY).sum(0, 2, 3).addi(fromLogDet));
        return gradX;
    }

    @Override
    public FlowOutput initializeFrom(INDArray x) {
        INDArray mean = x.mean(0, 2, 3);
        INDArray std = x.std(0, 2, 3);
        bias.value().assign(mean.neg());
        logScale.value().assign(Transforms.log(std.addi(1e-6), false).negi());
        initialized.assign(1);
        return forward(x);
    }

    /** The output of the last forward pass. */
    INDArray lastOutput() {
        return lastY;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(logScale, bias, initialized);
    }
}
