package io.glowspark.flow;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Random;

/** One bijector under a standard normal prior: lets DL4J's gradient check see a single bijector through the layer. */
public final class SingleBijectorModel implements DensityModel {

    private final Bijector bijector;
    private final int nBits;
    private Tensor lastY;
    private Tensor standardNormal;
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
        bijector.initializeFrom(Tensor.of(batch));
        initialized = true;
    }

    @Override
    public boolean isInitialized() {
        return initialized;
    }

    @Override
    public INDArray bitsPerDim(INDArray x, int[] labels) {
        return bitsPerDim(x);
    }

    @Override
    public INDArray bitsPerDim(INDArray x) {
        FlowOutput out = bijector.forward(Tensor.of(x));
        lastY = out.y();
        standardNormal = new Tensor(1, 2 * lastY.channels(), lastY.height(), lastY.width());
        double[] logLikelihood = DiagonalGaussian.logDensity(lastY, standardNormal, null);
        for (int n = 0; n < logLikelihood.length; n++) {
            logLikelihood[n] += out.logDet()[n];
        }
        return vector(BitsPerDim.of(logLikelihood, lastY.perExample(), nBits), x.dataType());
    }

    @Override
    public INDArray backward(INDArray gradBitsPerDim) {
        double[] gradLogLikelihood = gradBitsPerDim.castTo(DataType.DOUBLE).toDoubleVector();
        for (int n = 0; n < gradLogLikelihood.length; n++) {
            gradLogLikelihood[n] *= BitsPerDim.perLogLikelihood(lastY.perExample());
        }
        Tensor gradY = new Tensor(lastY.batch(), lastY.channels(), lastY.height(), lastY.width());
        DiagonalGaussian.backward(lastY, standardNormal, gradLogLikelihood, gradY, standardNormal.copy());
        return bijector.backward(gradY, gradLogLikelihood).toNd4j(gradBitsPerDim.dataType());
    }

    private static INDArray vector(double[] values, DataType type) {
        return NdArrays.detached(() -> Nd4j.createFromArray(values).castTo(type));
    }
}
