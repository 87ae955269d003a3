package io.glowspark.flow;

import java.util.List;
import java.util.Random;

/**
 * An invertible, differentiable transform of NCHW tensors with a tractable Jacobian determinant.
 *
 * <p>The contract every implementation keeps, checked for all of them by one shared test helper:
 * {@code inverse(forward(x).y()) == x}; {@code forward(x).logDet()} is log|det df/dx| per example; and
 * {@link #backward} is the exact gradient of the last forward pass.
 *
 * <p>Bijectors are stateful like DL4J layers, and one instance serves one thread: {@code backward} uses what the
 * preceding {@code forward} kept, including its input, which the caller must leave unchanged until then. What a
 * method returns is the bijector's own buffer, reused by its next call of the same method (no allocation per
 * iteration): copy it to keep it longer. Inputs are never modified.
 */
public interface Bijector {

    /** y = f(x) and log|det df/dx| per example. Keeps what {@link #backward} needs. */
    FlowOutput forward(Tensor x);

    /** x = f^-1(y). */
    Tensor inverse(Tensor y);

    /**
     * Backpropagates through the last {@link #forward}: given dL/dy and dL/dlogDet per example, stores the
     * gradients of this bijector's parameters and returns dL/dx.
     */
    Tensor backward(Tensor gradY, double[] gradLogDet);

    /** The parameters, in a fixed order. */
    default List<Parameter> parameters() {
        return List.of();
    }

    /** Sets freshly bound parameters to their random initial values. */
    default void initializeParameters(Random rng) {
    }

    /**
     * Frees the native memory this bijector keeps from one pass to the next, now rather than whenever the garbage
     * collector finds it; the next pass allocates it again.
     */
    default void releaseBuffers() {
    }

    /**
     * Data-dependent initialization: sets the parameters that depend on the data from this batch, then returns
     * {@code forward(x)} so that a composition can initialize its next bijector from this one's output.
     */
    default FlowOutput initializeFrom(Tensor x) {
        return forward(x);
    }
}
