package io.glowspark.config;

import java.io.Serializable;
import java.util.List;

/**
 * @param epochs             passes over the training set
 * @param batchSizePerWorker images per worker per step
 * @param learningRate       peak learning rate
 * @param warmupIterations   linear warm-up length
 * @param decayEpochs        epochs after which the learning rate is multiplied by decayFactor, increasing
 * @param decayFactor        learning-rate factor at each of decayEpochs, in (0, 1]
 * @param optimizer          optimizer
 * @param gradientClip       per-layer gradient L2-norm clipping threshold; 0 disables
 * @param polyakDecay        per-iteration decay of the Polyak average of the parameters, in [0, 1); 0 disables it
 * @param seed               seed for initialization, dequantization noise and data order
 * @param initBatchSize      images in the data-dependent ActNorm initialization batch
 * @param sampleTemperature  temperature of the sample grid written after each epoch
 * @param ompThreads         OpenMP threads per ND4J process; 0 means derive from the Spark task's cores
 */
public record TrainSettings(int epochs, int batchSizePerWorker, double learningRate, int warmupIterations,
                            List<Integer> decayEpochs, double decayFactor, Optimizer optimizer, double gradientClip,
                            double polyakDecay, long seed, int initBatchSize, double sampleTemperature, int ompThreads) implements Serializable {

    public enum Optimizer { ADAM, ADAMAX }

    /** The peak learning rate of an epoch (0-based): decayFactor once for every decay epoch already done. */
    public double learningRateOfEpoch(int epoch) {
        long decays = decayEpochs.stream().filter(e -> e <= epoch).count();
        return learningRate * Math.pow(decayFactor, decays);
    }

    private static double decayFactor(SettingsReader r) {
        double factor = r.doubleAbove("train.decay-factor", 0);
        r.require(factor <= 1, "train.decay-factor", "must be at most 1, got " + factor);
        return factor;
    }

    private static double polyakDecay(SettingsReader r) {
        double decay = r.doubleAtLeast("train.polyak-decay", 0);
        r.require(decay < 1, "train.polyak-decay", "must be less than 1, got " + decay);
        return decay;
    }

    static TrainSettings read(SettingsReader r) {
        return new TrainSettings(
                r.intAtLeast("train.epochs", 1),
                r.intAtLeast("train.batch-size-per-worker", 1),
                r.doubleAbove("train.learning-rate", 0),
                r.intAtLeast("train.warmup-iterations", 0),
                r.increasingIntsAtLeast("train.decay-epochs", 1),
                decayFactor(r),
                r.choice("train.optimizer", Optimizer.class),
                r.doubleAtLeast("train.gradient-clip", 0),
                polyakDecay(r),
                r.longValue("train.seed"),
                r.intAtLeast("train.init-batch-size", 1),
                r.doubleAtLeast("train.sample-temperature", 0),
                r.intAtLeast("train.omp-threads", 0));
    }
}
