package io.glowspark.train;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Learning rate rising linearly over the first {@code warmupIterations} iterations to {@code peak}, then constant.
 * DL4J's own RampSchedule does the same but cannot be read back from JSON, which dl4j-spark needs to ship the
 * network configuration to its workers.
 */
public final class WarmupSchedule implements ISchedule {

    private final double peak;
    private final int warmupIterations;

    public WarmupSchedule(@JsonProperty("peak") double peak, @JsonProperty("warmupIterations") int warmupIterations) {
        this.peak = peak;
        this.warmupIterations = warmupIterations;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        return iteration >= warmupIterations ? peak : peak * (iteration + 1) / warmupIterations;
    }

    @Override
    public ISchedule clone() {
        return new WarmupSchedule(peak, warmupIterations);
    }

    public double getPeak() {
        return peak;
    }

    public int getWarmupIterations() {
        return warmupIterations;
    }
}
