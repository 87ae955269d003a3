package io.glowspark.flow;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Products of 2-D matrices through BLAS gemm into a c-ordered result. ND4J's {@code mmul} is 5-15x slower for the
 * flow's shapes ([128, 128] x [128, 12544]): it computes a c-ordered result through an f-ordered copy.
 */
final class Matrices {

    private Matrices() {
    }

    /** op(a) x op(b), where op transposes when asked. */
    static INDArray product(INDArray a, boolean transposeA, INDArray b, boolean transposeB) {
        long rows = transposeA ? a.size(1) : a.size(0);
        long columns = transposeB ? b.size(0) : b.size(1);
        INDArray result = Nd4j.createUninitialized(a.dataType(), new long[]{rows, columns}, 'c');
        return Nd4j.gemm(a, b, result, transposeA, transposeB, 1.0, 0.0);
    }

    /** The sum of each row, shape [rows]: one gemv, several times faster than ND4J's sum along dimension 1. */
    static INDArray rowSums(INDArray m) {
        INDArray ones = Nd4j.ones(m.dataType(), m.size(1), 1);
        INDArray sums = product(m, false, ones, false).reshape(m.size(0));
        Tensors.release(ones);
        return sums;
    }
}
