package io.glowspark.train;

import io.glowspark.config.Settings;
import io.glowspark.config.SparkSettings;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.RepartitionStrategy;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.apache.spark.storage.StorageLevel;

/** dl4j-spark's parameter averaging, configured from the spark and train settings. */
final class ParameterAveraging {

    private ParameterAveraging() {
    }

    static ParameterAveragingTrainingMaster trainingMaster(Settings settings, int workers, int ompThreads) {
        SparkSettings spark = settings.spark();
        int batch = settings.train().batchSizePerWorker();
        return new ParameterAveragingTrainingMaster.Builder(workers, batch)
                .batchSizePerWorker(batch)
                .averagingFrequency(spark.averagingFrequency())
                .workerPrefetchNumBatches(spark.workerPrefetch())
                .repartionData(switch (spark.repartition()) {
                    case ALWAYS -> Repartition.Always;
                    case NEVER -> Repartition.Never;
                    case NUM_PARTITIONS_WORKERS_DIFFERS -> Repartition.NumPartitionsWorkersDiffers;
                })
                .repartitionStrategy(switch (spark.repartitionStrategy()) {
                    case BALANCED -> RepartitionStrategy.Balanced;
                    case APPROXIMATE_BALANCED -> RepartitionStrategy.ApproximateBalanced;
                    case SPARK_DEFAULT -> RepartitionStrategy.SparkDefault;
                })
                .rddTrainingApproach(switch (spark.trainingApproach()) {
                    case EXPORT -> RDDTrainingApproach.Export;
                    case DIRECT -> RDDTrainingApproach.Direct;
                })
                .storageLevel(StorageLevel.fromString(spark.storageLevel()))
                .trainingHooks(new NativeThreadsHook(ompThreads))
                .saveUpdater(true)
                .rngSeed(settings.train().seed())
                .build();
    }
}
