package io.glowspark.flow;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Random;

/** Invertible 1x1 convolution with a plain C x C matrix, initialized to a random rotation; log-det from its determinant. */
public final class InvertibleConv1x1 extends ChannelMixing {

    private final Parameter weight;

    public InvertibleConv1x1(String name, int channels) {
        super(channels);
        this.weight = Parameter.trainable(name + ".weight", channels, channels);
    }

    @Override
    protected INDArray weight() {
        return weight.value();
    }

    @Override
    protected double logAbsDetWeight() {
        return SmallMatrix.logAbsDet(SmallMatrix.of(weight.value()));
    }

    @Override
    protected void backwardWeight(INDArray gradWeight, double gradLogAbsDet) {
        // d log|det W| / dW = W^-T
        double[][] inverse = SmallMatrix.inverse(SmallMatrix.of(weight.value()));
        INDArray inverseT = SmallMatrix.toArray(inverse, gradWeight.dataType()).transpose();
        weight.setGradient(gradWeight.add(inverseT.mul(gradLogAbsDet)));
    }

    @Override
    public void initializeParameters(Random rng) {
        weight.assign(SmallMatrix.flatten(SmallMatrix.randomOrthogonal(channels, rng)));
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(weight);
    }

}
