package io.glowspark.train;

import java.util.Locale;
import java.util.Optional;

/**
 * How far parameter averaging scales with the number of workers, as measured (benchmarks/README.md, 2026-12-01,
 * scale-out): at the default learning rate an averaged step of W workers trained the model little more than one
 * worker's step does, whether the replicas were averaged every 5, 10 or 20 steps and over three epochs as over one, so
 * past a few workers the images needed for a given test bits/dim grow about as fast as the workers' images per
 * second, and the time to that quality hardly shortens. A learning rate raised in proportion to the workers recovered
 * part of the images early in training and little or none of them by the end of three epochs, so the warning does
 * not propose it.
 */
public final class WorkerScaling {

    /**
     * Images per averaged step (workers x train.batch-size-per-worker) up to which the images to a given test
     * bits/dim grew by less than 2x over one worker's: statistical efficiency 0.58 at 2 workers of 16 images,
     * 0.30 at 4 (0.44 with the learning rate raised 4 times), 0.15 at 8.
     */
    public static final int USEFUL_IMAGES_PER_STEP = 32;

    private WorkerScaling() {
    }

    /** A warning for a job whose workers x batch passes {@link #USEFUL_IMAGES_PER_STEP}, with what keeps within it. */
    public static Optional<String> warning(int workers, int batchSizePerWorker) {
        long imagesPerStep = (long) workers * batchSizePerWorker;
        if (imagesPerStep <= USEFUL_IMAGES_PER_STEP) {
            return Optional.empty();
        }
        String within = batchSizePerWorker <= USEFUL_IMAGES_PER_STEP
                ? "spark.workers=" + USEFUL_IMAGES_PER_STEP / batchSizePerWorker + " keeps within it"
                : "train.batch-size-per-worker=" + USEFUL_IMAGES_PER_STEP + " on one worker keeps within it";
        return Optional.of(String.format(Locale.ROOT, "%d workers x %d images per step = %d images per averaged step, "
                        + "past the %d measured to use training images well: an averaged step of many workers trains "
                        + "little more than one worker's step, so the run needs about %.1fx the epochs for the same "
                        + "test bits/dim and the extra workers hardly shorten the time to it (benchmarks/README.md, "
                        + "2026-12-01, scale-out). %s", workers, batchSizePerWorker, imagesPerStep,
                USEFUL_IMAGES_PER_STEP, (double) imagesPerStep / USEFUL_IMAGES_PER_STEP, within));
    }
}
