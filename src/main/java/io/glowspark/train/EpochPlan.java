package io.glowspark.train;

import io.glowspark.checkpoint.EpochProgress;
import io.glowspark.data.LabeledImages;
import io.glowspark.data.Shard;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The order in which one epoch visits the training set, and how each averaging round of it is dealt to the workers.
 * The set is cut into contiguous blocks, each read with one ranged read, and the blocks are shuffled with a generator
 * seeded by (seed, epoch). The number of blocks (about one minibatch each at the batch size the epoch started with)
 * and the seed are fixed when the epoch starts and kept in every checkpoint with the count of blocks trained
 * ({@link EpochProgress}). A round takes the next blocks of the order, as many as its workers train between two
 * averagings, so the order does not depend on the cluster: an interrupted epoch continues with exactly the blocks not
 * trained yet, on any number of workers, at any averaging frequency or batch size.
 */
public final class EpochPlan {

    /** One worker's share of one averaging round, the round being the one that starts at {@code firstBlock}. */
    public record Assignment(int epoch, int firstBlock, int worker, List<Shard> blocks) implements Serializable {
        public int images() {
            return blocks.stream().mapToInt(Shard::count).sum();
        }
    }

    private final int epoch;
    private final int trainImages;
    private final long seed;
    private final List<Shard> order;

    private EpochPlan(LabeledImages train, int epoch, int blocks, long seed) {
        this.epoch = epoch;
        this.trainImages = train.count();
        this.seed = seed;
        List<Shard> shuffled = new ArrayList<>(train.shards(blocks));
        Collections.shuffle(shuffled, new Random(seed * 1_000_003L + epoch));
        this.order = List.copyOf(shuffled);
    }

    /** A new epoch's order: blocks of about {@code batchSize} images. */
    public static EpochPlan start(LabeledImages train, int epoch, int batchSize, long seed) {
        int blocks = (int) (((long) train.count() + batchSize - 1) / batchSize);
        return new EpochPlan(train, epoch, blocks, seed);
    }

    /**
     * The order an epoch in progress was started with.
     *
     * @throws IllegalArgumentException if {@code progress} was made for another number of training images
     */
    public static EpochPlan resume(LabeledImages train, int epoch, EpochProgress progress) {
        if (progress.trainImages() != train.count()) {
            throw new IllegalArgumentException("the epoch's order was made for " + progress.trainImages()
                    + " training images, not " + train.count());
        }
        return new EpochPlan(train, epoch, progress.blocks(), progress.orderSeed());
    }

    /** The progress of this epoch before its first round. */
    public EpochProgress notStarted() {
        return EpochProgress.start(trainImages, order.size(), seed);
    }

    public int blocks() {
        return order.size();
    }

    public int images() {
        return trainImages;
    }

    /**
     * Blocks each worker trains per round: as many as fill {@code averagingFrequency} minibatches of {@code batchSize}
     * images, and at least one. A worker trains all of its blocks, so a round of blocks larger than that (an epoch
     * started at a larger batch size) takes more steps.
     */
    public int blocksPerWorker(int batchSize, int averagingFrequency) {
        int largest = order.stream().mapToInt(Shard::count).max().orElse(1);
        return (int) Math.max(1, Math.min(order.size(), (long) batchSize * averagingFrequency / largest));
    }

    /**
     * The round that starts at block {@code firstBlock} of the order: the next {@code workers * blocksPerWorker}
     * blocks (fewer at the end of the epoch), dealt to the workers in turn.
     */
    public List<Assignment> round(int firstBlock, int workers, int blocksPerWorker) {
        if (firstBlock < 0 || firstBlock >= order.size()) {
            throw new IllegalArgumentException("no block " + firstBlock + " in an epoch of " + order.size());
        }
        List<Shard> roundBlocks = order.subList(firstBlock,
                (int) Math.min(order.size(), firstBlock + (long) workers * blocksPerWorker));
        List<Assignment> assignments = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            List<Shard> mine = new ArrayList<>();
            for (int i = w; i < roundBlocks.size(); i += workers) {
                mine.add(roundBlocks.get(i));
            }
            assignments.add(new Assignment(epoch, firstBlock, w, mine));
        }
        return assignments;
    }
}
