package io.glowspark.train;

import io.glowspark.ProjectVersion;
import io.glowspark.checkpoint.CheckpointMetadata;
import io.glowspark.config.Settings;

/** Where the run stands: the next epoch and round to train, counters, and the latest bits/dim. */
final class TrainingState {

    private int epoch;
    private int round;
    private long iteration;
    private long imagesSeen;
    private double trainBpd = Double.NaN;
    private double testBpd = Double.NaN;
    private long iterationAtCheckpoint;

    static TrainingState fresh() {
        return new TrainingState();
    }

    static TrainingState resumedFrom(CheckpointMetadata m) {
        TrainingState s = new TrainingState();
        s.epoch = m.epoch();
        s.round = (int) m.positionInEpoch();
        s.iteration = m.iteration();
        s.imagesSeen = m.imagesSeen();
        s.trainBpd = m.trainBpd();
        s.testBpd = m.testBpd();
        s.iterationAtCheckpoint = m.iteration();
        return s;
    }

    void endRound(long iterationNow, long images) {
        round++;
        iteration = iterationNow;
        imagesSeen += images;
    }

    void endEpoch(double test, double train) {
        epoch++;
        round = 0;
        testBpd = test;
        trainBpd = train;
    }

    long iterationsSinceCheckpoint() {
        return iteration - iterationAtCheckpoint;
    }

    void checkpointWritten() {
        iterationAtCheckpoint = iteration;
    }

    CheckpointMetadata metadata(Settings settings) {
        return new CheckpointMetadata(epoch, iteration, imagesSeen, round, trainBpd, testBpd, settings.train().seed(),
                true, settings.compatibilityHash(), System.currentTimeMillis(), ProjectVersion.get());
    }

    int epoch() {
        return epoch;
    }

    int round() {
        return round;
    }

    long iteration() {
        return iteration;
    }

    long imagesSeen() {
        return imagesSeen;
    }

    double testBpd() {
        return testBpd;
    }
}
