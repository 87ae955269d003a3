package io.glowspark.flow;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Space-to-depth: every 2x2 block of pixels becomes 4 channels, [N, C, H, W] -> [N, 4C, H/2, W/2]. */
public final class Squeeze implements Bijector {

    @Override
    public FlowOutput forward(INDArray x) {
        long n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        INDArray y = x.reshape('c', n, c, h / 2, 2, w / 2, 2)
                .permute(0, 1, 3, 5, 2, 4)
                .dup('c')
                .reshape('c', n, 4 * c, h / 2, w / 2);
        return new FlowOutput(y, Tensors.constantPerExample(x, 0));
    }

    @Override
    public INDArray inverse(INDArray y) {
        long n = y.size(0), c = y.size(1) / 4, h = y.size(2), w = y.size(3);
        return y.reshape('c', n, c, 2, 2, h, w)
                .permute(0, 1, 4, 2, 5, 3)
                .dup('c')
                .reshape('c', n, c, 2 * h, 2 * w);
    }

    @Override
    public INDArray backward(INDArray gradY, INDArray gradLogDet) {
        return inverse(gradY);
    }
}
