package io.glowspark.flow;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The 3x3, stride-1, zero-padded patches of an NCHW batch as one matrix [C*9, N*H*W]: rows ordered (channel,
 * kernel row, kernel column), columns ordered (example, y, x). {@link #fold} is its adjoint: it adds every patch
 * entry back onto the pixel it came from. With them a 3x3 convolution becomes one large matrix product.
 */
final class Patches {

    static final int SIZE = 3;
    static final int TAPS = SIZE * SIZE;
    private static final int PAD = SIZE / 2;

    private Patches() {
    }

    static INDArray extract(INDArray x) {
        long n = x.size(0);
        long c = x.size(1);
        long h = x.size(2);
        long w = x.size(3);
        INDArray columns = Nd4j.createUninitialized(x.dataType(), n, c, SIZE, SIZE, h, w);
        Nd4j.exec(DynamicCustomOp.builder("im2col")
                .addInputs(Tensors.contiguous(x))
                .addOutputs(columns)
                .addIntegerArguments(SIZE, SIZE, 1, 1, PAD, PAD, 1, 1, 0)
                .build());
        // [N, C*9, H*W] -> [C*9, N, H*W]: ND4J copies a rank-3 permutation several times faster than a rank-6 one.
        INDArray matrix = columns.reshape(n, c * TAPS, h * w).permute(1, 0, 2).dup('c').reshape(c * TAPS, n * h * w);
        Tensors.release(columns);
        return matrix;
    }

    /** Sums a patch matrix [C*9, N*H*W] back into an NCHW batch [N, C, H, W]. */
    static INDArray fold(INDArray matrix, long n, long h, long w) {
        long c = matrix.size(0) / TAPS;
        INDArray columns = matrix.reshape(c * TAPS, n, h * w).permute(1, 0, 2).dup('c').reshape(n, c, SIZE, SIZE, h, w);
        INDArray x = Nd4j.create(matrix.dataType(), n, c, h, w);
        Nd4j.exec(DynamicCustomOp.builder("col2im")
                .addInputs(columns)
                .addOutputs(x)
                .addIntegerArguments(1, 1, PAD, PAD, (int) h, (int) w, 1, 1, 0)
                .build());
        Tensors.release(columns);
        return x;
    }
}
