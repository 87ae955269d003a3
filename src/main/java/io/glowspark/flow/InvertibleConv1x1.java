package io.glowspark.flow;

import java.util.List;
import java.util.Random;

/** Invertible 1x1 convolution with a plain C x C matrix, initialized to a random rotation; log-det from its determinant. */
public final class InvertibleConv1x1 extends ChannelMixing {

    private final Parameter weight;
    private double[][] lastWeight;

    public InvertibleConv1x1(String name, int channels) {
        super(channels);
        this.weight = Parameter.trainable(name + ".weight", channels, channels);
    }

    @Override
    protected double[][] weight() {
        lastWeight = SmallMatrix.unflatten(weight.read(), channels, channels);
        return lastWeight;
    }

    @Override
    protected double logAbsDetWeight() {
        return SmallMatrix.logAbsDet(lastWeight);
    }

    @Override
    protected void backwardWeight(double[][] gradWeight, double gradLogAbsDet) {
        // d log|det W| / dW = W^-T
        double[][] inverse = SmallMatrix.inverse(lastWeight);
        double[] grad = new double[channels * channels];
        for (int i = 0; i < channels; i++) {
            for (int j = 0; j < channels; j++) {
                grad[i * channels + j] = gradWeight[i][j] + gradLogAbsDet * inverse[j][i];
            }
        }
        weight.setGradient(grad);
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
