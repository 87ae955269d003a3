package io.glowspark.checkpoint;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One line of a run's {@code metrics.jsonl}, the file the notebooks plot: written after the ActNorm initialization
 * (epoch 0) and after every epoch, and read back by this same type. Values not known when the line was written are
 * NaN, written as JSON null.
 *
 * @param epoch           epochs completed
 * @param iteration       parameter updates done so far
 * @param imagesSeen      training images processed so far, over all epochs
 * @param trainBpd        training bits/dim of the raw parameters, the mean over the epoch's images
 * @param testBpd         test bits/dim of the Polyak average
 * @param imagesPerSecond the epoch's training images per second of training time
 * @param seconds         the epoch's training time, summed over the runs that trained it
 * @param learningRate    the learning rate at the end of the epoch
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"epoch", "iteration", "images_seen", "train_bpd", "test_bpd", "images_per_sec", "seconds",
        "learning_rate"})
public record EpochMetrics(int epoch, long iteration, long imagesSeen, double trainBpd, double testBpd,
                           @JsonProperty("images_per_sec") double imagesPerSecond, double seconds,
                           double learningRate) {

    public EpochMetrics {
        if (epoch < 0 || iteration < 0 || imagesSeen < 0) {
            throw new IllegalArgumentException("epoch, iteration and images_seen must be >= 0, got " + epoch + ", "
                    + iteration + ", " + imagesSeen);
        }
    }

    /** The line written after the ActNorm initialization, before any training: only the test score is known. */
    public static EpochMetrics afterInitialization(double testBpd) {
        return new EpochMetrics(0, 0, 0, Double.NaN, testBpd, Double.NaN, 0, Double.NaN);
    }
}
