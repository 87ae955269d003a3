package io.glowspark.flow;

/**
 * The result of a bijector's forward pass.
 *
 * @param y      f(x), same batch size as x
 * @param logDet log|det df/dx| per example
 */
public record FlowOutput(Tensor y, double[] logDet) {
}
