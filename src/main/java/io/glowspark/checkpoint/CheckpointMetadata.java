package io.glowspark.checkpoint;

import java.util.Objects;

/**
 * What a training run needs, besides the model, to resume exactly where a checkpoint was taken.
 *
 * @param epoch              epoch in progress (0-based)
 * @param iteration          parameter updates done so far
 * @param imagesSeen         training images processed so far
 * @param progress           how far the epoch in progress got, independent of the cluster
 * @param trainBpd           training bits/dim: the mean over the epoch in progress so far, or over the last complete
 *                           epoch when none of this one was trained; NaN before any
 * @param testBpd            test bits/dim, NaN if not evaluated
 * @param seed               the run's seed (train.seed)
 * @param actNormInitialized whether the model's data-dependent ActNorm initialization was done, as its parameters say
 * @param configHash         hash of the resolved model/training configuration
 * @param wallTimeMillis     when the checkpoint was taken, epoch milliseconds
 * @param projectVersion     version of the code that wrote it
 */
public record CheckpointMetadata(int epoch, long iteration, long imagesSeen, EpochProgress progress,
                                 double trainBpd, double testBpd, long seed, boolean actNormInitialized,
                                 String configHash, long wallTimeMillis, String projectVersion) {

    public CheckpointMetadata {
        if (epoch < 0 || iteration < 0 || imagesSeen < 0) {
            throw new IllegalArgumentException("epoch, iteration and imagesSeen must be >= 0, got "
                    + epoch + ", " + iteration + ", " + imagesSeen);
        }
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(configHash, "configHash");
        Objects.requireNonNull(projectVersion, "projectVersion");
    }

    /** Whether this checkpoint has a test score that can be compared. */
    public boolean hasTestBpd() {
        return !Double.isNaN(testBpd);
    }
}
