package io.glowspark.train;

import io.glowspark.checkpoint.EpochProgress;
import io.glowspark.data.LabeledImages;
import io.glowspark.data.MnistTestFiles;
import io.glowspark.data.Shard;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The epoch's order and its rounds: what an epoch covers must not depend on the cluster that trains it. */
class EpochPlanTest {

    private static LabeledImages train;

    @BeforeAll
    static void open() {
        train = MnistTestFiles.testSet().limit(1000);
    }

    /** A cluster's settings for the rest of an epoch: workers, batch size, averaging frequency. */
    private record Cluster(int workers, int batchSize, int averagingFrequency) {
    }

    @Test
    void anEpochStoppedAfterARoundContinuesOnAnyClusterWithExactlyTheBlocksNotTrained() {
        EpochPlan plan = EpochPlan.start(train, 3, 32, 42);
        assertEquals(32, plan.blocks(), "1000 images in blocks of about 32");
        List<Integer> before = trained(plan, 0, new Cluster(2, 32, 4), 1);
        assertEquals(8, before.size(), "one round of 2 workers x 4 minibatches");
        EpochProgress stopped = plan.notStarted().afterRound(before.size(), 250, 5.0, 10);

        for (Cluster rest : List.of(new Cluster(1, 32, 4), new Cluster(3, 32, 4), new Cluster(5, 64, 5),
                new Cluster(2, 16, 1), new Cluster(7, 8, 3))) {
            EpochPlan resumed = EpochPlan.resume(train, 3, stopped);
            List<Integer> epoch = new ArrayList<>(before);
            epoch.addAll(trained(resumed, stopped.blocksDone(), rest, Integer.MAX_VALUE));
            assertEquals(train.shards(32).size(), epoch.size(), rest + ": as many blocks as the epoch has");
            assertEquals(train.shards(32).stream().map(Shard::first).collect(Collectors.toSet()), new HashSet<>(epoch),
                    rest + ": each block exactly once");
            assertEquals(trained(plan, 0, new Cluster(2, 32, 4), Integer.MAX_VALUE), epoch,
                    rest + ": in the order of the epoch as it started");
        }
    }

    @Test
    void theOrderDependsOnTheEpochAndTheSeedOnly() {
        List<Integer> order = trained(EpochPlan.start(train, 3, 32, 42), 0, new Cluster(1, 32, 32), Integer.MAX_VALUE);
        assertEquals(order, trained(EpochPlan.start(train, 3, 32, 42), 0, new Cluster(4, 32, 2), Integer.MAX_VALUE));
        assertNotEquals(order, trained(EpochPlan.start(train, 4, 32, 42), 0, new Cluster(1, 32, 32), Integer.MAX_VALUE));
        assertNotEquals(order, trained(EpochPlan.start(train, 3, 32, 43), 0, new Cluster(1, 32, 32), Integer.MAX_VALUE));
    }

    @Test
    void aWorkerGetsTheBlocksOfItsMinibatchesAndAtLeastOne() {
        EpochPlan plan = EpochPlan.start(train, 0, 32, 42);
        assertEquals(4, plan.blocksPerWorker(32, 4));
        assertEquals(2, plan.blocksPerWorker(64, 1));
        assertEquals(1, plan.blocksPerWorker(8, 1), "a block of 32 images is trained whole, in 4 steps");
        List<EpochPlan.Assignment> last = plan.round(30, 3, 4);
        assertEquals(List.of(1, 1, 0), last.stream().map(a -> a.blocks().size()).toList(), "the epoch's last 2 blocks");
    }

    @Test
    void anEpochCannotContinueOnATrainingSetOfAnotherSize() {
        EpochProgress stopped = EpochPlan.start(train, 0, 32, 42).notStarted().afterRound(8, 250, 5.0, 10);
        assertThrows(IllegalArgumentException.class, () -> EpochPlan.resume(train.limit(999), 0, stopped));
    }

    /** The blocks of up to {@code rounds} rounds from {@code first}, as the trainer deals them, by first image. */
    private static List<Integer> trained(EpochPlan plan, int first, Cluster cluster, int rounds) {
        int perWorker = plan.blocksPerWorker(cluster.batchSize(), cluster.averagingFrequency());
        List<Integer> blocks = new ArrayList<>();
        for (int round = 0, next = first; round < rounds && next < plan.blocks(); round++) {
            List<EpochPlan.Assignment> assignments = plan.round(next, cluster.workers(), perWorker);
            List<Shard> roundBlocks = new ArrayList<>();
            for (int i = 0; roundBlocks.size() < assignments.stream().mapToInt(a -> a.blocks().size()).sum(); i++) {
                roundBlocks.add(assignments.get(i % cluster.workers()).blocks().get(i / cluster.workers()));
            }
            roundBlocks.forEach(block -> blocks.add(block.first()));
            next += roundBlocks.size();
        }
        return blocks;
    }
}
