package io.glowspark.bench;

/**
 * The shape of Spark's treeAggregate at depth 2 (dl4j-spark's aggregation of the replicas' results): with more
 * partitions than {@code scale + ceil(n / scale)}, {@code scale = max(ceil(sqrt(n)), 2)}, a reduce stage first merges
 * them into {@code n / scale} partitions, and only those reach the driver (Spark's RDD.treeAggregate).
 */
final class TreeAggregation {

    private TreeAggregation() {
    }

    static int lastStageTasks(int partitions) {
        int scale = Math.max((int) Math.ceil(Math.sqrt(partitions)), 2);
        int n = partitions;
        while (n > scale + Math.ceil((double) n / scale)) {
            n /= scale;
        }
        return n;
    }
}
