package io.glowspark.checkpoint;

/**
 * How far the epoch in progress got, in terms that do not depend on the cluster training it. The epoch's order is the
 * training set of {@code trainImages} images cut into {@code blocks} contiguous blocks, shuffled with
 * {@code orderSeed}; the first {@code blocksDone} blocks of that order are trained. Whatever the number of workers,
 * the averaging frequency or the batch size of the run that continues, it trains exactly the blocks after those. With
 * the epoch's running totals, so that its metrics cover the whole epoch however many runs trained it.
 *
 * @param trainImages images in the training set the order was made for; 0 before the epoch's first round
 * @param blocks      blocks in the order; 0 before the epoch's first round
 * @param orderSeed   the seed the order was shuffled with
 * @param blocksDone  blocks of the order trained: the epoch continues with block {@code blocksDone}
 * @param images      training images of the epoch trained so far
 * @param bpdSum      the training bits/dim summed over those images (each round's mean times its images)
 * @param seconds     the epoch's training time so far, summed over the runs that trained it
 */
public record EpochProgress(int trainImages, int blocks, long orderSeed, int blocksDone, long images, double bpdSum,
                            double seconds) {

    /** An epoch no round of which has been trained. */
    public static final EpochProgress NOT_STARTED = new EpochProgress(0, 0, 0, 0, 0, 0, 0);

    public EpochProgress {
        if (trainImages < 0 || blocks < 0 || blocksDone < 0 || blocksDone > blocks || images < 0 || seconds < 0) {
            throw new IllegalArgumentException("an epoch's progress needs 0 <= blocksDone <= blocks and counts >= 0, got "
                    + trainImages + " images, " + blocksDone + " of " + blocks + " blocks, " + images + " images trained, "
                    + seconds + " s");
        }
    }

    /** An epoch about to train its first round, in this order. */
    public static EpochProgress start(int trainImages, int blocks, long orderSeed) {
        return new EpochProgress(trainImages, blocks, orderSeed, 0, 0, 0, 0);
    }

    /** Whether some of the epoch was trained, so that its order is fixed. */
    public boolean started() {
        return blocksDone > 0;
    }

    public boolean done() {
        return started() && blocksDone == blocks;
    }

    /** After one more round that trained {@code roundBlocks} blocks of {@code roundImages} images at mean {@code bpd}. */
    public EpochProgress afterRound(int roundBlocks, long roundImages, double bpd, double secondsNow) {
        return new EpochProgress(trainImages, blocks, orderSeed, blocksDone + roundBlocks, images + roundImages,
                bpdSum + bpd * roundImages, secondsNow);
    }

    /** The training bits/dim over the epoch's images so far; NaN before any. */
    public double meanBpd() {
        return images == 0 ? Double.NaN : bpdSum / images;
    }

    /** Training images per second over the epoch so far; NaN before any. */
    public double imagesPerSecond() {
        return images == 0 ? Double.NaN : images / Math.max(1e-9, seconds);
    }
}
