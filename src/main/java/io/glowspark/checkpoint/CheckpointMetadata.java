package io.glowspark.checkpoint;

import java.util.Objects;

/**
 * What a training run needs, besides the model, to resume exactly where a checkpoint was taken.
 *
 * @param epoch              epoch in progress (0-based)
 * @param iteration          parameter updates done so far
 * @param imagesSeen         training images processed so far
 * @param positionInEpoch    minibatches done in the current epoch
 * @param trainBpd           training bits/dim at this point
 * @param testBpd            test bits/dim, NaN if not evaluated
 * @param seed               run seed; with {@code epoch} it determines the data order
 * @param actNormInitialized whether the data-dependent ActNorm initialization has been done
 * @param configHash         hash of the resolved model/training configuration
 * @param wallTimeMillis     when the checkpoint was taken, epoch milliseconds
 * @param projectVersion     version of the code that wrote it
 */
public record CheckpointMetadata(int epoch, long iteration, long imagesSeen, long positionInEpoch,
                                 double trainBpd, double testBpd, long seed, boolean actNormInitialized,
                                 String configHash, long wallTimeMillis, String projectVersion) {

    public CheckpointMetadata {
        if (epoch < 0 || iteration < 0 || imagesSeen < 0 || positionInEpoch < 0) {
            throw new IllegalArgumentException("epoch, iteration, imagesSeen and positionInEpoch must be >= 0, got "
                    + epoch + ", " + iteration + ", " + imagesSeen + ", " + positionInEpoch);
        }
        Objects.requireNonNull(configHash, "configHash");
        Objects.requireNonNull(projectVersion, "projectVersion");
    }

    /** Whether this checkpoint has a test score that can be compared. */
    public boolean hasTestBpd() {
        return !Double.isNaN(testBpd);
    }
}
