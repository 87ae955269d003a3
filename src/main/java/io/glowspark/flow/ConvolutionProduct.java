package io.glowspark.flow;

import java.util.ArrayList;
import java.util.List;

/**
 * A convolution as one matrix product, optionally followed by ActNorm (as in Glow's conditioner):
 * u = e * (W x + b) per output channel, with e = exp(logScale) under ActNorm and 1 without.
 * Its input x is a matrix whose rows are the convolution's inputs (input channel, tap) plus a last row of ones, so
 * one product M x with M = e * [W | b] computes the whole layer, bias and ActNorm included.
 *
 * <p>Backward takes G = (dL/du) [x; 1]^T, also one product; every parameter's gradient follows from G and the
 * values of the forward pass: dW = e G[:, :K], db = e G[:, K], dlogScale = e (rowsum(W * G[:, :K]) + b G[:, K]).
 */
final class ConvolutionProduct {

    private final int outputs;
    private final int inputs;
    private final Parameter weight;
    private final Parameter bias;
    private final Parameter logScale;
    private double[] w;
    private double[] b;
    private double[] e;
    private double[] values;
    private double[] gradValues;
    private double[] gradWeight;
    private double[] gradBias;
    private double[] gradLogScale;
    private NativeMatrix matrix;
    private NativeMatrix gradientProduct;

    /**
     * @param weight   [outputs, inputs...] with inputs... multiplying out to the product's K
     * @param actNorm  whether an ActNorm follows the convolution (its bias is then {@code bias})
     */
    ConvolutionProduct(String name, Parameter weight, boolean actNorm) {
        long[] shape = weight.shape();
        this.outputs = (int) shape[0];
        this.inputs = (int) (weight.length() / outputs);
        this.weight = weight;
        this.bias = Parameter.trainable(name + ".bias", outputs);
        this.logScale = actNorm ? Parameter.trainable(name + ".actNorm.logScale", outputs) : null;
    }

    boolean hasActNorm() {
        return logScale != null;
    }

    /** M = e * [W | b] from the current parameters, [outputs, inputs + 1]. */
    NativeMatrix matrix() {
        w = weight.read();
        b = bias.read();
        e = Tensor.reuse(e, outputs);
        double[] s = logScale == null ? null : logScale.read();
        values = Tensor.reuse(values, outputs * (inputs + 1));
        for (int r = 0; r < outputs; r++) {
            e[r] = s == null ? 1.0 : Math.exp(s[r]);
            int row = r * (inputs + 1);
            for (int k = 0; k < inputs; k++) {
                values[row + k] = e[r] * w[r * inputs + k];
            }
            values[row + inputs] = e[r] * b[r];
        }
        matrix = NativeMatrix.of(matrix, weight.dataType(), outputs, inputs + 1, values);
        return matrix;
    }

    /** The M of the last forward pass, for dL/dx = M^T dL/du. */
    NativeMatrix lastMatrix() {
        return matrix;
    }

    /** Stores the parameter gradients, given dL/du [outputs, N*H*W] and the forward input x with its ones row. */
    void backward(NativeMatrix gradU, NativeMatrix input) {
        gradientProduct = NativeMatrix.reuse(gradientProduct, weight.dataType(), outputs, inputs + 1);
        gradientProduct.assignProduct(gradU, false, input, true);
        double[] g = gradValues = Tensor.reuse(gradValues, outputs * (inputs + 1));
        gradientProduct.read(g);
        gradWeight = Tensor.reuse(gradWeight, outputs * inputs);
        gradBias = Tensor.reuse(gradBias, outputs);
        gradLogScale = Tensor.reuse(gradLogScale, outputs);
        for (int r = 0; r < outputs; r++) {
            int row = r * (inputs + 1);
            double dot = 0;
            for (int k = 0; k < inputs; k++) {
                gradWeight[r * inputs + k] = e[r] * g[row + k];
                dot += w[r * inputs + k] * g[row + k];
            }
            gradBias[r] = e[r] * g[row + inputs];
            gradLogScale[r] = e[r] * (dot + b[r] * g[row + inputs]);
        }
        weight.setGradient(gradWeight);
        bias.setGradient(gradBias);
        if (logScale != null) {
            logScale.setGradient(gradLogScale);
        }
    }

    /**
     * ActNorm's data-dependent initialization from this layer's output u = e * (W x + b) over a batch (computed with
     * the current parameters): sets b and logScale so that every output channel has zero mean and unit variance.
     */
    void initializeFrom(NativeMatrix output) {
        double[] row = new double[output.columns()];
        double[] newBias = new double[outputs];
        double[] newLogScale = new double[outputs];
        for (int r = 0; r < outputs; r++) {
            output.readRow(r, row);
            double mean = 0;
            for (double v : row) {
                mean += v;
            }
            mean /= row.length;
            double squares = 0;
            for (double v : row) {
                squares += (v - mean) * (v - mean);
            }
            double std = Math.sqrt(squares / Math.max(1, row.length - 1));
            // u = e (a + b): mean(a) = mean(u) / e - b, std(a) = std(u) / e
            newBias[r] = b[r] - mean / e[r];
            newLogScale[r] = -Math.log(std / e[r] + 1e-6);
        }
        bias.assign(newBias);
        logScale.assign(newLogScale);
    }

    void releaseBuffers() {
        matrix = NativeMatrix.release(matrix);
        gradientProduct = NativeMatrix.release(gradientProduct);
    }

    void initializeZeros() {
        bias.assign(0);
        if (logScale != null) {
            logScale.assign(0);
        }
    }

    /** Bias and, with ActNorm, its log-scale (the weight belongs to the caller's list). */
    List<Parameter> ownParameters() {
        List<Parameter> own = new ArrayList<>(List.of(bias));
        if (logScale != null) {
            own.add(logScale);
        }
        return own;
    }
}
