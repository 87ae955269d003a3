package io.glowspark.flow;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The result of a bijector's forward pass.
 *
 * @param y      f(x), same batch size as x
 * @param logDet log|det df/dx| per example, shape [N]
 */
public record FlowOutput(INDArray y, INDArray logDet) {
}
