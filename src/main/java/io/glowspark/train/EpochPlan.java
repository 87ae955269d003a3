package io.glowspark.train;

import io.glowspark.data.Shard;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The order in which one epoch visits the training set, and how it is dealt to the workers: the set is cut into
 * contiguous blocks of about one minibatch (each read with one ranged read), the blocks are shuffled with a
 * generator seeded by (seed, epoch), and each averaging round gives every worker {@code averagingFrequency} of them.
 * The same seed and epoch always give the same rounds, so an interrupted epoch can resume at any round.
 */
public final class EpochPlan implements Serializable {

    /** One worker's share of one averaging round. */
    public record Assignment(int epoch, int round, int worker, List<Shard> blocks) implements Serializable {
        public int images() {
            return blocks.stream().mapToInt(Shard::count).sum();
        }
    }

    private final List<Shard> blocks;
    private final long seed;
    private final int workers;
    private final int blocksPerRound;

    public EpochPlan(List<Shard> blocks, long seed, int workers, int averagingFrequency) {
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("no training data");
        }
        this.blocks = List.copyOf(blocks);
        this.seed = seed;
        this.workers = workers;
        this.blocksPerRound = workers * averagingFrequency;
    }

    public int rounds() {
        return (blocks.size() + blocksPerRound - 1) / blocksPerRound;
    }

    public int images() {
        return blocks.stream().mapToInt(Shard::count).sum();
    }

    /** The workers' assignments of one round; the last round of an epoch may leave some workers without data. */
    public List<Assignment> round(int epoch, int round) {
        List<Shard> order = new ArrayList<>(blocks);
        Collections.shuffle(order, new Random(seed * 1_000_003L + epoch));
        List<Shard> roundBlocks = order.subList(round * blocksPerRound, Math.min(order.size(), (round + 1) * blocksPerRound));
        List<Assignment> assignments = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            List<Shard> mine = new ArrayList<>();
            for (int i = w; i < roundBlocks.size(); i += workers) {
                mine.add(roundBlocks.get(i));
            }
            assignments.add(new Assignment(epoch, round, w, mine));
        }
        return assignments;
    }
}
