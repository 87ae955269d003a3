package io.glowspark.train;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Polyak averaging, as in Glow's reference code: an exponential moving average of the parameters, weighting the
 * parameters of k iterations ago by decay^k. The test score, the sample grids and the model that a checkpoint gives
 * to inspection are the average's. Adam at learning rates that make one epoch count leaves the raw parameters
 * noisy: a loss spike takes tens of iterations to recover, and the average smooths over it.
 *
 * <p>The average is bias-corrected (divided by 1 - decay^t after t iterations), so it is a weighted mean of the
 * parameters after each round since iteration 0, and the initial parameters drop out at the first update. It is
 * updated once per averaging round, with decay^k for the round's k iterations. Decay 0 makes it the raw parameters.
 */
final class PolyakAverage {

    private final double decay;
    private final INDArray average;
    private long iteration;

    private PolyakAverage(double decay, INDArray average, long iteration) {
        this.decay = decay;
        this.average = average;
        this.iteration = iteration;
    }

    /** An average that starts at these parameters at iteration 0. */
    static PolyakAverage start(double decay, INDArray parameters) {
        return new PolyakAverage(decay, parameters.dup(), 0);
    }

    /** An average resumed from a checkpoint: its value after {@code iteration} iterations. */
    static PolyakAverage resume(double decay, INDArray average, long iteration) {
        return new PolyakAverage(decay, average.dup(), iteration);
    }

    /**
     * Folds in the parameters after iteration {@code now}. Written as avg += c (params - avg): a fixed parameter,
     * equal in both, stays exactly what it is.
     */
    void update(INDArray parameters, long now) {
        if (now <= iteration) {
            return;
        }
        double carried = Math.pow(decay, now - iteration);
        double total = 1 - Math.pow(decay, now);
        average.addi(parameters.sub(average).muli((1 - carried) / total));
        iteration = now;
    }

    /** The averaged parameters, a live view: copy before handing it to anything that may change or free it. */
    INDArray parameters() {
        return average;
    }
}
