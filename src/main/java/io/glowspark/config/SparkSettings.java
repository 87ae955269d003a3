package io.glowspark.config;

import java.io.Serializable;
import java.util.List;

/**
 * @param master             master URL when spark-submit does not give one; empty: spark-submit decides
 * @param workers            parameter-averaging workers; 0 means one per task slot of the executors registered at the
 *                           start (see train.WorkerCount)
 * @param averagingFrequency local steps between two averaging rounds
 * @param workerPrefetch     minibatches each worker prefetches
 * @param repartition        when to repartition before each fit
 * @param repartitionStrategy how to repartition, when it does
 * @param trainingApproach   how dl4j-spark moves data to workers
 * @param storageLevel       Spark StorageLevel name of the training RDD
 * @param kryo               serialize with Kryo and ND4J's registrator
 */
public record SparkSettings(String master, int workers, int averagingFrequency, int workerPrefetch,
                            Repartition repartition, RepartitionStrategy repartitionStrategy,
                            TrainingApproach trainingApproach, String storageLevel, boolean kryo)
        implements Serializable {

    /** dl4j-spark's Repartition values. */
    public enum Repartition { ALWAYS, NEVER, NUM_PARTITIONS_WORKERS_DIFFERS }

    /** dl4j-spark's RepartitionStrategy values. */
    public enum RepartitionStrategy { BALANCED, APPROXIMATE_BALANCED, SPARK_DEFAULT }

    /** dl4j-spark's RDDTrainingApproach values. */
    public enum TrainingApproach { EXPORT, DIRECT }

    /** The names Spark's StorageLevel.fromString accepts. */
    public static final List<String> STORAGE_LEVELS = List.of("NONE", "DISK_ONLY", "DISK_ONLY_2", "DISK_ONLY_3",
            "MEMORY_ONLY", "MEMORY_ONLY_2", "MEMORY_ONLY_SER", "MEMORY_ONLY_SER_2", "MEMORY_AND_DISK",
            "MEMORY_AND_DISK_2", "MEMORY_AND_DISK_SER", "MEMORY_AND_DISK_SER_2", "OFF_HEAP");

    static SparkSettings read(SettingsReader r) {
        return new SparkSettings(
                r.string("spark.master"),
                r.intAtLeast("spark.workers", 0),
                r.intAtLeast("spark.averaging-frequency", 1),
                r.intAtLeast("spark.worker-prefetch", 0),
                r.choice("spark.repartition", Repartition.class),
                r.choice("spark.repartition-strategy", RepartitionStrategy.class),
                r.choice("spark.training-approach", TrainingApproach.class),
                r.oneOf("spark.storage-level", STORAGE_LEVELS),
                r.bool("spark.kryo"));
    }
}
