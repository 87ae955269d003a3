package io.glowspark.train;

import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * How long an averaging round and a test evaluation take in this run, measured as they happen: the parts of the
 * run's ETA. A round's time includes what happens between two rounds (checkpoints). The run's first round also
 * holds the warm-up of Spark and the JIT, so it counts only until there is another.
 */
final class RunPace {

    private final int testImages;
    private final LongSupplier nanoClock;
    private double firstRoundSeconds;
    private long firstRoundImages;
    private double laterRoundsSeconds;
    private long laterRoundsImages;
    private long rounds;
    private double evaluationSeconds = Double.NaN;

    RunPace(int testImages) {
        this(testImages, System::nanoTime);
    }

    RunPace(int testImages, LongSupplier nanoClock) {
        this.testImages = testImages;
        this.nanoClock = nanoClock;
    }

    long nanoTime() {
        return nanoClock.getAsLong();
    }

    /** Runs an epoch's test evaluation and keeps its time as the estimate for the ones to come. */
    double timeEvaluation(DoubleSupplier evaluation) {
        long start = nanoTime();
        double result = evaluation.getAsDouble();
        evaluationSeconds = (nanoTime() - start) / 1e9;
        return result;
    }

    void roundDone(double seconds, long images) {
        if (rounds++ == 0) {
            firstRoundSeconds = seconds;
            firstRoundImages = images;
        } else {
            laterRoundsSeconds += seconds;
            laterRoundsImages += images;
        }
    }

    /**
     * Seconds that {@code roundsLeft} rounds and {@code evaluationsLeft} test evaluations take at this pace (after at
     * least one round). Until an epoch's evaluation has been timed, one counts as the test set at the training
     * throughput: more than it takes, as an evaluation has no backward pass, but closer than the time of the
     * evaluation before training, which is dominated by the warm-up of Spark and the JIT.
     */
    double secondsFor(long roundsLeft, int evaluationsLeft) {
        boolean warm = rounds > 1;
        double perRound = warm ? laterRoundsSeconds / (rounds - 1) : firstRoundSeconds;
        double imagesPerSecond = warm ? laterRoundsImages / laterRoundsSeconds : firstRoundImages / firstRoundSeconds;
        double perEvaluation = Double.isNaN(evaluationSeconds) ? testImages / imagesPerSecond : evaluationSeconds;
        return roundsLeft * perRound + evaluationsLeft * perEvaluation;
    }
}
