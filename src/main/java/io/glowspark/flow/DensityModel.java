package io.glowspark.flow;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Random;

/**
 * A density over images, possibly conditioned on each image's class, whose negative log-likelihood in bits per
 * dimension is trained by gradient descent. Like a {@link Bijector}, {@link #backward} uses what the last
 * {@link #bitsPerDim(INDArray, int[])} kept.
 */
public interface DensityModel {

    List<Parameter> parameters();

    /** Sets freshly bound parameters to their random initial values. */
    void initializeParameters(Random rng);

    /** Data-dependent initialization (ActNorm) from a first batch. */
    void initializeFrom(INDArray batch);

    /** Whether the data-dependent initialization has run. */
    boolean isInitialized();

    /**
     * Frees the native memory the model keeps from one pass to the next, now rather than whenever the garbage
     * collector finds it (a replica that trained one averaging round is discarded); the next pass allocates it again.
     */
    default void releaseBuffers() {
    }

    /** The number of classes the density is conditioned on, labelled 0..classes-1; 0 for an unconditional one. */
    default int classes() {
        return 0;
    }

    /** -log p(x) of each image in bits per dimension, shape [N], the image alone (whatever its class). */
    INDArray bitsPerDim(INDArray x);

    /**
     * The training loss of each image in bits per dimension, shape [N]: -log p(x | y) given each image's class y,
     * or -log p(x) for an unconditional model, which ignores {@code labels} (they may be null).
     */
    INDArray bitsPerDim(INDArray x, int[] labels);

    /**
     * Given dL/d(bits per dimension) per example of the last {@link #bitsPerDim(INDArray, int[])}, stores all
     * parameter gradients and returns dL/dx.
     */
    INDArray backward(INDArray gradBitsPerDim);
}
