package io.glowspark.flow;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Random;

/**
 * A density over images whose negative log-likelihood, in bits per dimension, is trained by gradient descent.
 * Like a {@link Bijector}, {@link #backward} uses what the last {@link #bitsPerDim} kept.
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

    /** Negative log-likelihood of each image in bits per dimension, shape [N]. */
    INDArray bitsPerDim(INDArray x);

    /** Given dL/d(bits per dimension) per example, stores all parameter gradients and returns dL/dx. */
    INDArray backward(INDArray gradBitsPerDim);
}
