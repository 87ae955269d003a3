package io.glowspark.train;

import io.glowspark.config.Settings;
import io.glowspark.config.SparkSettings;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaRDDLike;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.core.storage.StatsStorageRouterProvider;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.RepartitionStrategy;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.api.WorkerConfiguration;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingWorker;
import org.nd4j.linalg.dataset.DataSet;

import java.util.Collection;

/** dl4j-spark's parameter averaging, configured from the spark and train settings. */
final class ParameterAveraging {

    private ParameterAveraging() {
    }

    static ParameterAveragingTrainingMaster trainingMaster(Settings settings, int workers, int ompThreads) {
        SparkSettings spark = settings.spark();
        int batch = settings.train().batchSizePerWorker();
        return new OneRoundPerFit(new ParameterAveragingTrainingMaster.Builder(workers, batch)
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
                .rngSeed(settings.train().seed()));
    }

    /**
     * ParameterAveragingTrainingMaster for a trainer that fits one averaging round at a time ({@link EpochPlan}).
     * The plan decides what each worker trains in a round, so the worker trains all of it: the master's own worker
     * stops after averagingFrequency minibatches and silently drops the rest, which an epoch continued at a smaller
     * batch size than it started with would hand it. And two changes, each measured in local[2]
     * (benchmarks/README.md):
     * <ul>
     *   <li>No count job. The master counts the minibatches of every fit, only to cut the RDD into splits, in a Spark
     *   job of its own that reads the round's data before the training job reads it again. That job and the gaps
     *   around it took 0.22 s of every 6.2 s round. The plan guarantees at most one split per fit, so the count
     *   given here is the size of one split.</li>
     *   <li>The round's broadcast is destroyed when the round ends. The master broadcasts the parameters and the
     *   optimizer state (3 floats per parameter) every round and never releases them: the driver keeps them until
     *   its context cleaner notices, after a garbage collection, that they are unreachable, and every executor holds
     *   its deserialized copy off the heap until then. The worker below is built as the master builds it, so that
     *   the broadcast can be kept.</li>
     * </ul>
     */
    private static final class OneRoundPerFit extends ParameterAveragingTrainingMaster {

        private Broadcast<NetBroadcastTuple> roundBroadcast;

        OneRoundPerFit(Builder builder) {
            super(builder);
        }

        @Override
        protected <T, R extends JavaRDDLike<T, R>> long getTotalDataSetObjectCount(JavaRDDLike<T, R> trainingData) {
            return getNumDataSetObjectsPerSplit(rddDataSetNumExamples);
        }

        @Override
        public void executeTraining(SparkDl4jMultiLayer network, JavaRDD<DataSet> trainingData) {
            try {
                super.executeTraining(network, trainingData);
            } finally {
                if (roundBroadcast != null) {
                    roundBroadcast.destroy();
                    roundBroadcast = null;
                }
            }
        }

        @Override
        public ParameterAveragingTrainingWorker getWorkerInstance(SparkDl4jMultiLayer network) {
            MultiLayerNetwork net = network.getNetwork();
            roundBroadcast = network.getSparkContext().broadcast(new NetBroadcastTuple(net.getLayerWiseConfigurations(),
                    net.params(), net.getUpdater().getStateViewArray()));
            int allMinibatches = 0; // WorkerConfiguration's maxBatchesPerWorker: 0 sets no limit
            WorkerConfiguration worker = new WorkerConfiguration(false, rddDataSetNumExamples, batchSizePerWorker,
                    allMinibatches, prefetchNumBatches, collectTrainingStats);
            return new PooledReplicaWorker(roundBroadcast, saveUpdater, worker, trainingHookList, listeners,
                    getRouterProvider());
        }
    }

    /**
     * dl4j-spark's worker, taking its replica from the executor's {@link ReplicaPool} when one of the round's
     * configuration is idle, and giving it back once the round's result is taken.
     */
    private static final class PooledReplicaWorker extends ParameterAveragingTrainingWorker {

        private final Broadcast<NetBroadcastTuple> round;

        PooledReplicaWorker(Broadcast<NetBroadcastTuple> round, boolean saveUpdater, WorkerConfiguration configuration,
                            Collection<TrainingHook> hooks, Collection<TrainingListener> listeners,
                            StatsStorageRouterProvider routerProvider) {
            super(round, saveUpdater, configuration, hooks, listeners, routerProvider);
            this.round = round;
        }

        @Override
        public MultiLayerNetwork getInitialModel() {
            return ReplicaPool.take(round.getValue()).orElseGet(super::getInitialModel);
        }

        @Override
        public ParameterAveragingTrainingResult getFinalResult(MultiLayerNetwork network) {
            ParameterAveragingTrainingResult result = super.getFinalResult(network);
            ReplicaPool.give(network);
            return result;
        }
    }

}
