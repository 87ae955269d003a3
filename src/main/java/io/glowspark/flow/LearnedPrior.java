package io.glowspark.flow;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/** The top level's prior: a Gaussian with a learned mean and log-sd for every channel and pixel, starting at N(0, I). */
public final class LearnedPrior {

    private final long[] latentShape;
    private final Parameter mean;
    private final Parameter logSd;
    private INDArray lastZ;

    public LearnedPrior(String name, int channels, int height, int width) {
        this.latentShape = new long[]{channels, height, width};
        this.mean = Parameter.trainable(name + ".mean", 1, channels, height, width);
        this.logSd = Parameter.trainable(name + ".logSd", 1, channels, height, width);
    }

    public INDArray logDensity(INDArray z) {
        lastZ = z;
        return DiagonalGaussian.logDensity(z, mean.value(), logSd.value());
    }

    /** Given dL/d(log p) per example, stores the prior's gradients and returns dL/dz. */
    public INDArray backward(INDArray gradLogDensity) {
        DiagonalGaussian.Gradients g = DiagonalGaussian.backward(lastZ, mean.value(), logSd.value(), gradLogDensity);
        mean.setGradient(g.mean().sum(true, 0));
        logSd.setGradient(g.logSd().sum(true, 0));
        return g.z();
    }

    public INDArray sample(int n, double temperature) {
        INDArray m = mean.value().broadcast(n, latentShape[0], latentShape[1], latentShape[2]);
        INDArray s = logSd.value().broadcast(n, latentShape[0], latentShape[1], latentShape[2]);
        return DiagonalGaussian.sample(m, s, temperature);
    }

    public void initializeParameters() {
        mean.assign(0);
        logSd.assign(0);
    }

    public List<Parameter> parameters() {
        return List.of(mean, logSd);
    }
}
