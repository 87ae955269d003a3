package io.glowspark.flow;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/** RealNVP's fixed permutation: the channel order reversed. Volume preserving, no parameters. */
public final class ChannelReversal implements Bijector {

    @Override
    public FlowOutput forward(INDArray x) {
        return new FlowOutput(reverse(x), Tensors.constantPerExample(x, 0));
    }

    @Override
    public INDArray inverse(INDArray y) {
        return reverse(y);
    }

    @Override
    public INDArray backward(INDArray gradY, INDArray gradLogDet) {
        return reverse(gradY);
    }

    private static INDArray reverse(INDArray x) {
        INDArray out = Nd4j.create(x.dataType(), x.shape());
        Nd4j.exec(DynamicCustomOp.builder("reverse").addInputs(x).addOutputs(out).addIntegerArguments(1).build());
        return out;
    }
}
