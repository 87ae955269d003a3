package io.glowspark.flow;

import java.util.ArrayList;
import java.util.List;

/**
 * A 3x3 convolution with weights and bias initialized to zero, and optionally Glow's learned output scale: the
 * split prior's map from the kept channels to the latent's mean and log-sd. Its input has few channels, so it is
 * one product with the input's patch matrix.
 */
final class ZeroConvolution {

    private final int outChannels;
    private final Parameter weight;
    private final ConvolutionProduct product;
    private final LearnedScale scale;
    private NativeMatrix patches;
    private NativeMatrix result;
    private NativeMatrix gradResult;
    private NativeMatrix gradPatches;
    private Tensor out;
    private Tensor gradIn;

    ZeroConvolution(String name, int inChannels, int outChannels, double logScaleFactor) {
        this.outChannels = outChannels;
        this.weight = Parameter.trainable(name + ".weight", outChannels, inChannels, Patches.SIZE, Patches.SIZE);
        this.product = new ConvolutionProduct(name, weight, false);
        this.scale = logScaleFactor > 0 ? new LearnedScale(name + ".logScale", outChannels, logScaleFactor) : null;
    }

    Tensor forward(Tensor x) {
        int columns = x.batch() * x.pixels();
        int patchRows = x.channels() * Patches.TAPS;
        NativeMatrix previous = patches;
        patches = NativeMatrix.reuse(patches, weight.dataType(), patchRows + 1, columns);
        if (patches != previous) {
            patches.fillRow(patchRows, 1.0);
        }
        Patches.extract(x, 1, patches);
        result = NativeMatrix.reuse(result, weight.dataType(), outChannels, columns);
        result.assignProduct(product.matrix(), false, patches, false);
        out = Tensor.reuse(out, x.batch(), outChannels, x.height(), x.width());
        result.readChannels(out);
        if (scale != null) {
            scale.apply(out);
        }
        return out;
    }

    /** Given dL/d(output) of the last forward, stores the gradients and returns dL/dx. */
    Tensor backward(Tensor gradOut) {
        Tensor gradPre = scale == null ? gradOut : scale.backward(gradOut);
        gradResult = NativeMatrix.reuse(gradResult, weight.dataType(), outChannels, result.columns());
        gradResult.writeChannels(gradPre);
        product.backward(gradResult, patches);
        gradPatches = NativeMatrix.reuse(gradPatches, weight.dataType(), patches.rows(), patches.columns());
        gradPatches.assignProduct(product.lastMatrix(), true, gradResult, false);
        int inChannels = (patches.rows() - 1) / Patches.TAPS;
        gradIn = Tensor.reuse(gradIn, gradOut.batch(), inChannels, gradOut.height(), gradOut.width());
        Patches.sumShifted(gradPatches, -1, gradIn);
        return gradIn;
    }

    void releaseBuffers() {
        patches = NativeMatrix.release(patches);
        result = NativeMatrix.release(result);
        gradResult = NativeMatrix.release(gradResult);
        gradPatches = NativeMatrix.release(gradPatches);
        product.releaseBuffers();
    }

    void initializeParameters() {
        weight.assign(0);
        product.initializeZeros();
        if (scale != null) {
            scale.initialize();
        }
    }

    List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>(List.of(weight));
        all.addAll(product.ownParameters());
        if (scale != null) {
            all.add(scale.parameter());
        }
        return all;
    }
}
