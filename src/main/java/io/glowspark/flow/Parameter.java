package io.glowspark.flow;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
    }

    public void bindGradient(INDArray view) {
        this.gradient = view;
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

    /** The values in row-major order. */
    public double[] values() {
        return value().reshape(length()).toDoubleVector();
    }

    /** Stores dL/d(this parameter), overwriting the previous step's gradient; a no-op when no gradient storage is bound. */
    public void setGradient(INDArray grad) {
        if (gradient != null) {
            gradient.assign(grad.reshape(shape));
        }
    }

    /** {@link #setGradient(INDArray)} from row-major values. */
    public void setGradient(double[] grad) {
        if (gradient != null) {
            gradient.assign(shaped(grad, gradient.dataType()));
        }
    }

    public void assign(double[] values) {
        value().assign(shaped(values, value.dataType()));
    }

    private INDArray shaped(double[] values, DataType type) {
        return Nd4j.create(values, shape, type);
    }

    public void assign(double value) {
        value().assign(value);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + (trainable ? "" : " (fixed)");
    }
}
