package io.glowspark.train;

import io.glowspark.checkpoint.CheckpointMetadata;
import io.glowspark.checkpoint.CheckpointStore;
import io.glowspark.checkpoint.EpochMetrics;
import io.glowspark.checkpoint.EpochProgress;
import io.glowspark.checkpoint.FileSystemTimeouts;
import io.glowspark.checkpoint.RestoredCheckpoint;
import io.glowspark.checkpoint.RunDirectory;
import io.glowspark.checkpoint.RunLock;
import io.glowspark.config.DataSettings;
import io.glowspark.config.Settings;
import io.glowspark.data.Dequantization;
import io.glowspark.data.LabeledImages;
import io.glowspark.data.MnistDataset;
import io.glowspark.data.Shard;
import io.glowspark.flow.Glow;
import io.glowspark.flow.GlowSpec;
import io.glowspark.inspect.ImageGrid;
import io.glowspark.layer.GlowLayerConfig;
import io.glowspark.layer.GlowNetwork;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.common.reduce.IntDoubleReduceFunction;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * The distributed training job. On the driver: open the run directory under its lock, resume from the latest
 * checkpoint or build the network and run the ActNorm initialization pass on the first batch, then train epoch by
 * epoch with dl4j-spark's parameter averaging, one Spark fit per averaging round so that progress, failure checks
 * and checkpoints happen at round boundaries. The data set never passes through the driver.
 */
public final class GlowTrainer {

    private static final Logger log = LoggerFactory.getLogger(GlowTrainer.class);
    private static final int SAMPLE_GRID = 64;

    /** How a run ended, and its final pictures. */
    public record Outcome(int epochsDone, long iteration, double testBpd, boolean alreadyComplete,
                          FinalPictures.Report pictures) {
    }

    private final Settings settings;
    private final JavaSparkContext sc;
    private final HadoopConf hadoopConf;

    /** Bounds the Hadoop client's waits for the file systems, driver and executors, before any file-system call. */
    public GlowTrainer(Settings settings, JavaSparkContext sc) {
        this.settings = settings;
        this.sc = sc;
        List<String> bounds = FileSystemTimeouts.apply(sc.hadoopConfiguration(), settings.checkpoint().lockLease());
        log.debug("file-system waits bounded by the lock's lease: {}", bounds);
        this.hadoopConf = new HadoopConf(sc.hadoopConfiguration());
    }

    public Outcome run() throws IOException {
        MnistDataset data = openData();
        Dequantization dequantization = settings.data().dequantization(settings.train().seed());
        GlowSpec spec = settings.model().toSpec(1, dequantization.outputRows(data.train().rows()),
                dequantization.outputCols(data.train().cols()), settings.data().nBits());
        RunDirectory run = RunDirectory.open(settings.run().dir(), hadoopConf.get());
        try (RunLock lock = run.lock(settings.checkpoint().lockLease(), settings.checkpoint().lockRenewEvery())) {
            CheckpointStore store = run.checkpoints(settings.checkpoint().keepLast(), settings.checkpoint().keepBest());
            Optional<RestoredCheckpoint> latest = new Resumption(settings, run, store).checkpoint(spec, data.train());
            TrainingState state;
            MultiLayerNetwork net;
            PolyakAverage average;
            double decay = settings.train().polyakDecay();
            if (latest.isPresent()) {
                CheckpointMetadata m = latest.get().metadata();
                net = latest.get().net();
                applyTrainSettings(net);
                state = TrainingState.resumedFrom(m);
                average = latest.get().polyakParameters()
                        .map(p -> PolyakAverage.resume(decay, p, m.iteration()))
                        .orElseGet(() -> PolyakAverage.start(decay, net.params()));
                run.keepMetricsOfEpochs(m.epoch());
                log.info("resuming from {}: epoch {} with {} of its {} blocks trained, iteration {}", latest.get().name(),
                        m.epoch() + 1, m.progress().blocksDone(), m.progress().blocks(), m.iteration());
            } else {
                net = newNetwork(spec);
                initializeActNorm(net, data.train(), dequantization);
                run.keepMetricsOfEpochs(-1);
                run.writeConfig(settings.render());
                state = TrainingState.fresh();
                average = PolyakAverage.start(decay, net.params());
            }
            return new Epochs(net, average, state, data, dequantization, run, store, lock).train();
        }
    }

    /**
     * The configured IDX directory, or MNIST fetched and verified into the cache, validated (see
     * {@link MnistDataset#open}, {@link MnistDataset#requireMnistImageSize}) before anything is written; limits applied.
     */
    private MnistDataset openData() {
        DataSettings d = settings.data();
        return MnistDataset.open(d.resolveDir(), d.fileNames(), hadoopConf.get()).requireMnistImageSize()
                .limit(d.trainLimit(), d.testLimit());
    }

    private MultiLayerNetwork newNetwork(GlowSpec spec) {
        GlowLayerConfig layer = new GlowLayerConfig(spec).withGradientClipping(settings.train().gradientClip());
        return GlowNetwork.create(layer, LearningRates.updater(settings.train()), settings.train().seed(), DataType.FLOAT);
    }

    /**
     * A restored network carries the gradient clipping of the run that wrote the checkpoint. The train settings are
     * not part of the compatibility hash, so the configured ones apply: a run resumed after a divergence with a lower
     * train.learning-rate must not diverge again at the old one (the epoch loop sets the learning-rate schedule).
     * The optimizer state is kept.
     */
    private void applyTrainSettings(MultiLayerNetwork net) {
        ((GlowLayerConfig) net.getLayer(0).conf().getLayer()).applyGradientClipping(settings.train().gradientClip());
    }

    /** The data-dependent ActNorm initialization, once, on the driver, before any distributed step. */
    private void initializeActNorm(MultiLayerNetwork net, LabeledImages train, Dequantization dequantization) {
        int n = Math.min(settings.train().initBatchSize(), train.count());
        Shard first = new Shard(train.images(), train.labels(), 0, n);
        GlowNetwork.initializeActNorm(net, dequantization.withNoise(first.read(hadoopConf.get()), 0));
        log.info("ActNorm initialized from the first {} training images", n);
    }

    /** The epoch loop over one network, from a start state to the configured number of epochs. */
    private final class Epochs {

        private final MultiLayerNetwork net;
        private final PolyakAverage average;
        private final TrainingState state;
        private final MnistDataset data;
        private final Dequantization dequantization;
        private final RunDirectory run;
        private final CheckpointStore store;
        private final RunLock lock;
        private final int workers;
        private final int ompThreads;
        private final int batchSize;
        private final SparkDl4jMultiLayer sparkNet;
        private long lastCheckpointNanos = System.nanoTime();

        Epochs(MultiLayerNetwork net, PolyakAverage average, TrainingState state, MnistDataset data,
               Dequantization dequantization, RunDirectory run, CheckpointStore store, RunLock lock) {
            this.net = net;
            this.average = average;
            this.state = state;
            this.data = data;
            this.dequantization = dequantization;
            this.run = run;
            this.store = store;
            this.lock = lock;
            this.workers = settings.spark().workers() > 0 ? settings.spark().workers() : sc.defaultParallelism();
            this.ompThreads = settings.train().ompThreads() > 0 ? settings.train().ompThreads()
                    : sc.getConf().getInt("spark.task.cpus", 1);
            this.batchSize = settings.train().batchSizePerWorker();
            this.sparkNet = new SparkDl4jMultiLayer(sc, net,
                    ParameterAveraging.trainingMaster(settings, workers, ompThreads));
        }

        Outcome train() throws IOException {
            int epochs = settings.train().epochs();
            if (state.epoch() >= epochs) {
                log.info("the run in {} is complete ({} epochs); nothing to do", run.root(), epochs);
                return new Outcome(state.epoch(), state.iteration(), state.testBpd(), true, finalPictures());
            }
            Nd4jThreads.use(ompThreads);
            log.info("training {} epochs of {} images on {} workers, {} parameters", epochs, data.train().count(),
                    workers, net.numParams());
            if (state.iteration() == 0) {
                double initialBpd = testBitsPerDim();
                run.appendMetrics(EpochMetrics.afterInitialization(initialBpd));
                log.info(String.format("after the ActNorm initialization: test bpd %.4f", initialBpd));
            }
            RunPace pace = new RunPace(data.test().count());
            for (int epoch = state.epoch(); epoch < epochs; epoch++) {
                net.setLearningRate(LearningRates.schedule(settings.train(), epoch));
                EpochPlan plan = plan(epoch);
                state.startEpoch(plan);
                int blocksPerWorker = plan.blocksPerWorker(batchSize, settings.spark().averagingFrequency());
                Progress progress = new Progress(epoch, epochs, workers * blocksPerWorker, pace);
                while (state.progress().blocksDone() < plan.blocks()) {
                    trainRound(plan, blocksPerWorker, progress);
                    maybeCheckpoint(false);
                }
                double testBpd = pace.timeEvaluation(this::testBitsPerDim);
                EpochMetrics metrics = state.endEpoch(testBpd, LearningRates.at(net, state.iteration()));
                run.appendMetrics(metrics);
                writeSamples(epoch);
                log.info(String.format("epoch %d/%d done: train bpd %.4f, test bpd %.4f, %.1f images/s, %.0f s",
                        epoch + 1, epochs, metrics.trainBpd(), testBpd, metrics.imagesPerSecond(), metrics.seconds()));
                maybeCheckpoint(settings.checkpoint().atEpochEnd() || epoch == epochs - 1);
            }
            log.info(String.format("done: %d epochs, %d iterations, %d images, test bpd %.4f",
                    epochs, state.iteration(), state.imagesSeen(), state.testBpd()));
            return new Outcome(epochs, state.iteration(), state.testBpd(), false, finalPictures());
        }

        /** The order of the epoch: the one it started with if it is in progress, else a new one at this batch size. */
        private EpochPlan plan(int epoch) {
            EpochProgress progress = state.progress();
            if (!progress.started()) {
                return EpochPlan.start(data.train(), epoch, batchSize, settings.train().seed());
            }
            EpochPlan plan = EpochPlan.resume(data.train(), epoch, progress);
            log.info("epoch {} continues in its own order: {} of {} blocks trained, the rest dealt to {} workers, {} "
                    + "blocks each per round", epoch + 1, progress.blocksDone(), plan.blocks(), workers,
                    plan.blocksPerWorker(batchSize, settings.spark().averagingFrequency()));
            return plan;
        }

        private void trainRound(EpochPlan plan, int blocksPerWorker, Progress progress) throws IOException {
            lock.checkHeld(); // a job that lost its lock stops here, between two rounds, even when nothing is due to be written
            List<EpochPlan.Assignment> assignments = plan.round(state.progress().blocksDone(), workers, blocksPerWorker);
            int iterationBefore = net.getIterationCount();
            JavaRDD<DataSet> batches = sc.parallelize(assignments, workers).flatMap(minibatches());
            sparkNet.fit(batches);
            batches.unpersist(false); // dl4j-spark persists the training RDD at spark.storage-level, and never releases it
            // dl4j-spark counts averagingFrequency iterations per fit; the workers took as many steps as their minibatches
            int steps = assignments.stream().mapToInt(a -> (a.images() + batchSize - 1) / batchSize).max().orElse(0);
            net.setIterationCount(iterationBefore + steps);
            double bpd = sparkNet.getScore();
            if (!Double.isFinite(bpd) || !GlowNetwork.isFinite(net.params())) {
                throw new TrainingFailedException(String.format("the loss became %s in epoch %d at block %d (iteration "
                        + "%d); training stopped, the last good checkpoint is %s", bpd, state.epoch() + 1,
                        state.progress().blocksDone(), state.iteration(), store.latest().orElse("(none)")));
            }
            long images = assignments.stream().mapToLong(EpochPlan.Assignment::images).sum();
            state.endRound(net.getIterationCount(), assignments.stream().mapToInt(a -> a.blocks().size()).sum(), images,
                    bpd);
            average.update(net.params(), state.iteration());
            progress.roundDone(state.progress(), images, bpd, state.iteration());
        }

        private ReadMinibatches minibatches() {
            return new ReadMinibatches(dequantization, settings.train().batchSizePerWorker(), ompThreads, hadoopConf);
        }

        /**
         * Test bits/dim of the Polyak average, computed on the executors. The parameters are broadcast as a copy:
         * Spark closes AutoCloseable broadcast values when it cleans a broadcast up, and an INDArray is one, so
         * broadcasting live parameters (as SparkDl4jMultiLayer.calculateScore does) frees them under their owner.
         */
        private double testBitsPerDim() {
            List<Shard> shards = data.test().shards(workers);
            List<EpochPlan.Assignment> assignments = new ArrayList<>();
            for (int w = 0; w < shards.size(); w++) {
                assignments.add(new EpochPlan.Assignment(0, 0, w, List.of(shards.get(w))));
            }
            Broadcast<INDArray> params = sc.broadcast(average.parameters().dup());
            try {
                Tuple2<Integer, Double> countAndSum = sc.parallelize(assignments, shards.size())
                        .flatMap(minibatches())
                        .mapPartitions(new ScoreMinibatches(net.getLayerWiseConfigurations().toJson(), params, ompThreads))
                        .reduce(new IntDoubleReduceFunction());
                return countAndSum._2() / countAndSum._1();
            } finally {
                params.destroy();
            }
        }

        private void writeSamples(int epoch) throws IOException {
            Glow glow = (Glow) GlowNetwork.glowLayer(GlowNetwork.withParameters(net, average.parameters())).model();
            byte[] png = ImageGrid.png(glow.sample(SAMPLE_GRID, settings.train().sampleTemperature(),
                    new Random(settings.train().seed() + epoch)), 8);
            glow.releaseBuffers();
            run.writeSample(String.format("epoch-%03d-t%.2f.png", epoch + 1, settings.train().sampleTemperature()), png);
        }

        private FinalPictures.Report finalPictures() throws IOException {
            return FinalPictures.writeMissing(run, hadoopConf.get());
        }

        private void maybeCheckpoint(boolean force) throws IOException {
            var c = settings.checkpoint();
            boolean byIterations = c.everyIterations() > 0 && state.iterationsSinceCheckpoint() >= c.everyIterations();
            boolean byTime = c.everyMinutes() > 0 && System.nanoTime() - lastCheckpointNanos >= c.everyMinutes() * 60_000_000_000L;
            if (!(force || byIterations || byTime)) {
                return;
            }
            String name = store.write(state.metadata(settings, net), out -> ModelSerializer.writeModel(net, out, true),
                    out -> GlowNetwork.writeParameters(average.parameters(), out));
            state.checkpointWritten();
            lastCheckpointNanos = System.nanoTime();
            log.info("checkpoint {} written", name);
        }
    }
}
