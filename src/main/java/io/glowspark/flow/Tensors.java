package io.glowspark.flow;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Small NCHW helpers shared by the bijectors. */
final class Tensors {

    private Tensors() {
    }

    /** Channels [from, to) of an NCHW tensor, as a new contiguous array. */
    static INDArray channels(INDArray x, long from, long to) {
        return x.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to), NDArrayIndex.all(), NDArrayIndex.all()).dup('c');
    }

    /** The array itself if it is a c-ordered array of its own, else a c-ordered copy: what libnd4j's custom ops read. */
    static INDArray contiguous(INDArray a) {
        return a.isView() || a.ordering() != 'c' ? a.dup('c') : a;
    }

    /** Concatenation along channels. */
    static INDArray concatChannels(INDArray a, INDArray b) {
        return Nd4j.concat(1, a, b);
    }

    /** Sum over all but the batch dimension: one value per example, shape [N]. */
    static INDArray sumPerExample(INDArray x) {
        return x.sum(1, 2, 3);
    }

    /** A per-example vector [N] shaped [N, 1, 1, 1] to broadcast against NCHW tensors. */
    static INDArray perExample(INDArray v) {
        return v.reshape(v.length(), 1, 1, 1);
    }

    /** A per-channel vector [C] shaped [1, C, 1, 1] to broadcast against NCHW tensors. */
    static INDArray perChannel(INDArray v) {
        return v.reshape(1, v.length(), 1, 1);
    }

    /** The same value for each of the batch's examples, shape [N]. */
    static INDArray constantPerExample(INDArray like, double value) {
        return Nd4j.valueArrayOf(new long[]{like.size(0)}, value, like.dataType());
    }

    /** Frees the native memory of arrays no longer needed, instead of waiting for the garbage collector. */
    static void release(INDArray... arrays) {
        for (INDArray a : arrays) {
            if (a != null && a.closeable()) {
                a.close();
            }
        }
    }

    /** Pixels per channel of an NCHW tensor. */
    static long pixels(INDArray x) {
        return x.size(2) * x.size(3);
    }
}
