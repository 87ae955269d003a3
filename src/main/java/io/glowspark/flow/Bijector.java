package io.glowspark.flow;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Random;

/**
 * An invertible, differentiable transform of NCHW tensors with a tractable Jacobian determinant.
 *
 * <p>The contract every implementation keeps, checked for all of them by one shared test helper:
 * {@code inverse(forward(x).y()) == x}; {@code forward(x).logDet()} is log|det df/dx| per example; and
 * {@link #backward} is the exact gradient of the last forward pass. Bijectors are stateful like DL4J layers:
 * {@code backward} uses what the preceding {@code forward} kept, so one instance serves one thread.
 */
public interface Bijector {

    /** y = f(x) and log|det df/dx| per example. Keeps what {@link #backward} needs. */
    FlowOutput forward(INDArray x);

    /** x = f^-1(y). */
    INDArray inverse(INDArray y);

    /**
     * Backpropagates through the last {@link #forward}: given dL/dy and dL/dlogDet (per example, shape [N]),
     * stores the gradients of this bijector's parameters and returns dL/dx.
     */
    INDArray backward(INDArray gradY, INDArray gradLogDet);

    /** The parameters, in a fixed order. */
    default List<Parameter> parameters() {
        return List.of();
    }

    /** Sets freshly bound parameters to their random initial values. */
    default void initializeParameters(Random rng) {
    }

    /**
     * Data-dependent initialization: sets the parameters that depend on the data from this batch, then returns
     * {@code forward(x)} so that a composition can initialize its next bijector from this one's output.
     */
    default FlowOutput initializeFrom(INDArray x) {
        return forward(x);
    }
}
