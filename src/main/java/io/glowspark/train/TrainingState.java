package io.glowspark.train;

import io.glowspark.ProjectVersion;
import io.glowspark.checkpoint.CheckpointMetadata;
import io.glowspark.checkpoint.EpochMetrics;
import io.glowspark.checkpoint.EpochProgress;
import io.glowspark.config.Settings;
import io.glowspark.layer.GlowNetwork;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Where the run stands: the epoch in progress and how far it got, counters, and the latest bits/dim. The epoch's
 * totals continue from a checkpoint, so its metrics cover all of it however many runs trained it.
 */
final class TrainingState {

    private int epoch;
    private long iteration;
    private long imagesSeen;
    private double trainBpd = Double.NaN;
    private double testBpd = Double.NaN;
    private EpochProgress progress = EpochProgress.NOT_STARTED;
    private long iterationAtCheckpoint;
    /** When this run started training the epoch in progress; its time adds to the progress's seconds. */
    private long clockStartNanos = System.nanoTime();
    private double secondsBeforeThisRun;

    static TrainingState fresh() {
        return new TrainingState();
    }

    static TrainingState resumedFrom(CheckpointMetadata m) {
        TrainingState s = new TrainingState();
        s.epoch = m.epoch();
        s.iteration = m.iteration();
        s.imagesSeen = m.imagesSeen();
        s.progress = m.progress();
        s.secondsBeforeThisRun = m.progress().seconds();
        s.trainBpd = m.progress().started() ? Double.NaN : m.trainBpd();
        s.testBpd = m.testBpd();
        s.iterationAtCheckpoint = m.iteration();
        return s;
    }

    /** Starts the epoch in progress in this order, unless some of it was trained already (in its own order). */
    void startEpoch(EpochPlan plan) {
        if (!progress.started()) {
            progress = plan.notStarted();
            secondsBeforeThisRun = 0;
            clockStartNanos = System.nanoTime();
        }
    }

    void endRound(long iterationNow, int blocks, long images, double bpd) {
        iteration = iterationNow;
        imagesSeen += images;
        progress = progress.afterRound(blocks, images, bpd, epochSeconds());
    }

    /** Ends the epoch in progress with its test score; returns its line of metrics.jsonl. */
    EpochMetrics endEpoch(double test, double learningRate) {
        double seconds = epochSeconds();
        EpochMetrics line = new EpochMetrics(epoch + 1, iteration, imagesSeen, progress.meanBpd(), test,
                progress.images() / Math.max(1e-9, seconds), seconds, learningRate);
        epoch++;
        trainBpd = progress.meanBpd();
        testBpd = test;
        progress = EpochProgress.NOT_STARTED;
        return line;
    }

    long iterationsSinceCheckpoint() {
        return iteration - iterationAtCheckpoint;
    }

    void checkpointWritten() {
        iterationAtCheckpoint = iteration;
    }

    /** The checkpoint metadata of this state for {@code net}, whose parameters say whether ActNorm was initialized. */
    CheckpointMetadata metadata(Settings settings, MultiLayerNetwork net) {
        return new CheckpointMetadata(epoch, iteration, imagesSeen, progress,
                progress.started() ? progress.meanBpd() : trainBpd, testBpd, settings.train().seed(),
                GlowNetwork.glowLayer(net).model().isInitialized(), settings.compatibilityHash(),
                System.currentTimeMillis(), ProjectVersion.get());
    }

    /** The training time of the epoch in progress, over every run that trained it. */
    double epochSeconds() {
        return secondsBeforeThisRun + (System.nanoTime() - clockStartNanos) / 1e9;
    }

    int epoch() {
        return epoch;
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

    EpochProgress progress() {
        return progress;
    }
}
