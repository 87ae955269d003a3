package io.glowspark.flow;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * A named tensor of the flow, bound to views of the owner's flat parameter and gradient vectors.
 * Fixed parameters (an LU permutation, ActNorm's initialized flag) are saved and averaged with the model
 * but never receive a gradient.
 */
public final class Parameter {

    private final String name;
    private final long[] shape;
    private final boolean trainable;
    private INDArray value;
    private INDArray gradient;
    private NdArrays valueMemory;
    private NdArrays gradientMemory;
    private double[] current;

    private Parameter(String name, boolean trainable, long... shape) {
        this.name = name;
        this.shape = shape;
        this.trainable = trainable;
    }

    public static Parameter trainable(String name, long... shape) {
        return new Parameter(name, true, shape);
    }

    public static Parameter fixed(String name, long... shape) {
        return new Parameter(name, false, shape);
    }

    public String name() {
        return name;
    }

    public long[] shape() {
        return shape.clone();
    }

    public long length() {
        return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    }

    public boolean isTrainable() {
        return trainable;
    }

    public void bindValue(INDArray view) {
        this.value = view;
        this.valueMemory = NdArrays.of(view);
    }

    public void bindGradient(INDArray view) {
        this.gradient = view;
        this.gradientMemory = view == null ? null : NdArrays.of(view);
    }

    public INDArray value() {
        if (value == null) {
            throw new IllegalStateException("parameter " + name + " is not bound to storage");
        }
        return value;
    }

    /** The gradient storage, or null when none is bound (inference only). */
    public INDArray gradient() {
        return gradient;
    }

    /** The storage's data type: the model's (float in training, double in gradient checks). */
    public DataType dataType() {
        return value().dataType();
    }

    /**
     * The current values in row-major order, read from the storage into an array this parameter keeps: the
     * returned array is overwritten by the next call. Bijectors read their parameters once per forward pass.
     */
    public double[] read() {
        int n = Math.toIntExact(length());
        if (current == null || current.length != n) {
            current = new double[n];
        }
        value();
        valueMemory.read(current);
        return current;
    }

    /** A copy of the values in row-major order. */
    public double[] values() {
        return read().clone();
    }

    /**
     * Stores dL/d(this parameter) from row-major values, overwriting the previous step's gradient; a no-op when no
     * gradient storage is bound (inference only).
     */
    public void setGradient(double[] grad) {
        if (gradientMemory != null) {
            gradientMemory.write(grad);
        }
    }

    public void assign(double[] values) {
        value();
        valueMemory.write(values);
    }

    public void assign(double value) {
        value().assign(value);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + (trainable ? "" : " (fixed)");
    }
}
