package io.glowspark.flow;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Random;

/** One bijector under a standard normal prior: lets DL4J's gradient check see a single bijector through the layer. */
public final class SingleBijectorModel implements DensityModel {

    private final Bijector bijector;
    private final int nBits;
    private INDArray lastY;
    private boolean initialized;

    public SingleBijectorModel(Bijector bijector, int nBits) {
        this.bijector = bijector;
        this.nBits = nBits;
    }

    @Override
    public List<Parameter> parameters() {
        return bijector.parameters();
    }

    @Override
    public void initializeParameters(Random rng) {
        bijector.initializeParameters(rng);
    }

    @Override
    public void initializeFrom(INDArray batch) {
        bijector.initializeFrom(batch);
        initialized = true;
    }

    @Override
    public boolean isInitialized() {
        return initialized;
    }

    @Override
    public INDArray bitsPerDim(INDArray x) {
        FlowOutput out = bijector.forward(x);
        lastY = out.y();
        INDArray logDensity = DiagonalGaussian.logDensity(lastY, lastY.like().assign(0), lastY.like().assign(0));
        return BitsPerDim.of(out.logDet().add(logDensity), x.length() / x.size(0), nBits);
    }

    @Override
    public INDArray backward(INDArray gradBitsPerDim) {
        long dims = lastY.length() / lastY.size(0);
        INDArray gradLogLikelihood = gradBitsPerDim.mul(BitsPerDim.perLogLikelihood(dims));
        INDArray gradY = lastY.neg().muli(Tensors.perExample(gradLogLikelihood));
        return bijector.backward(gradY, gradLogLikelihood);
    }
}
