package io.glowspark.train;

import io.glowspark.checkpoint.RestoredCheckpoint;
import io.glowspark.checkpoint.EpochMetrics;
import io.glowspark.checkpoint.RunDirectory;
import io.glowspark.config.Settings;
import io.glowspark.data.Dequantization;
import io.glowspark.data.MnistDataset;
import io.glowspark.data.MnistFileNames;
import io.glowspark.testing.LocalSpark;
import io.glowspark.testing.MiniHdfs;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.BroadcastBlockId;
import org.apache.spark.storage.memory.MemoryStore;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import scala.collection.JavaConverters;
import scala.collection.Seq;

import java.io.IOException;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The training job end to end in Spark local[2]: MNIST and the run directory on a real HDFS. */
@Tag("slow")
class DistributedTrainingTest {

    private static MiniHdfs hdfs;
    private static JavaSparkContext sc;
    private static URI mnist;

    @BeforeAll
    static void start() throws IOException {
        hdfs = new MiniHdfs("training");
        mnist = SmallRun.mnistOn(hdfs);
        sc = LocalSpark.start("DistributedTrainingTest");
        sc.hadoopConfiguration().addResource(hdfs.configuration());
    }

    @AfterAll
    static void stop() {
        if (sc != null) {
            sc.close();
        }
        if (hdfs != null) {
            hdfs.close();
        }
    }

    @Test
    void twoEpochsOnHdfsLowerTestBitsPerDimAndWriteMetricsSamplesAndCheckpoints() throws IOException {
        String runDir = hdfs.uri("/runs/two-epochs").toString();
        Settings settings = Settings.load(Optional.empty(), SmallRun.overrides(runDir, mnist, "train.epochs=2"));
        sc.setJobGroup("two-epochs", "two epochs on HDFS");
        GlowTrainer.Outcome outcome = new GlowTrainer(settings, sc).run();
        sc.clearJobGroup();

        RunDirectory run = RunDirectory.open(runDir, sc.hadoopConfiguration());
        List<EpochMetrics> metrics = run.readMetrics();
        assertEquals(3, metrics.size(), "a line after the init pass and one per epoch: " + metrics);
        double afterInit = metrics.get(0).testBpd();
        double epoch1 = metrics.get(1).testBpd();
        double epoch2 = metrics.get(2).testBpd();
        assertTrue(epoch2 < epoch1 && epoch1 < afterInit, "test bpd " + afterInit + " -> " + epoch1 + " -> " + epoch2);
        assertEquals(epoch2, outcome.testBpd(), 1e-4);
        assertTrue(run.fileSystem().exists(new Path(run.samplesDir(), "epoch-002-t0.70.png")));
        assertTrue(run.readConfig().isPresent());
        RestoredCheckpoint latest = SmallRun.latest(run);
        assertEquals(2, latest.metadata().epoch());
        assertTrue(latest.metadata().actNormInitialized());

        List<String> jobs = jobsOfGroup("two-epochs");
        long rounds = outcome.iteration() / settings.spark().averagingFrequency();
        assertEquals(rounds, jobs.stream().filter(j -> j.startsWith("treeAggregate at ParameterAveragingTrainingMaster")).count(),
                "one Spark job per averaging round, nothing counts the round's data first: " + jobs);
        assertEquals(3, jobs.stream().filter(j -> j.startsWith("reduce at GlowTrainer")).count(), "test evaluations: " + jobs);
        assertEquals(rounds + 3, jobs.size(), "no other jobs: " + jobs);

        assertEquals(List.of(), broadcastNetworks(), "each round's broadcast of the network is destroyed after the round");
    }

    /** The names of the jobs of a job group, from the status tracker: the call site of each job's final stage. */
    private static List<String> jobsOfGroup(String group) {
        return Arrays.stream(sc.statusTracker().getJobIdsForGroup(group)).sorted()
                .mapToObj(id -> Objects.requireNonNull(sc.statusTracker().getJobInfo(id)).stageIds())
                .map(stages -> Arrays.stream(stages).max().orElseThrow())
                .map(stage -> Objects.requireNonNull(sc.statusTracker().getStageInfo(stage)).name())
                .toList();
    }

    /**
     * The broadcast blocks in this JVM's block store (driver and executors in local mode) that hold a network for
     * the workers: dl4j-spark's NetBroadcastTuple. Broadcast values are stored deserialized, their pieces serialized.
     */
    private static List<String> broadcastNetworks() {
        MemoryStore store = SparkEnv.get().blockManager().memoryStore();
        Seq<BlockId> broadcasts = SparkEnv.get().blockManager().master().getMatchingBlockIds(BlockId::isBroadcast, true);
        return JavaConverters.seqAsJavaList(broadcasts).stream()
                .filter(id -> ((BroadcastBlockId) id).field().isEmpty() && store.contains(id)
                        && store.getValues(id).get().next() instanceof NetBroadcastTuple)
                .map(BlockId::name)
                .toList();
    }

    @Test
    void oneWorkerOneStepEqualsASingleJvmStepFromTheSameInitializedParameters() throws IOException {
        String runDir = hdfs.uri("/runs/one-step").toString();
        Settings settings = Settings.load(Optional.empty(), SmallRun.overrides(runDir, mnist, "train.epochs=1", "data.train-limit=32",
                "spark.workers=1", "spark.averaging-frequency=1", "spark.training-approach=direct"));
        GlowTrainer trainer = new GlowTrainer(settings, sc);
        trainer.run();
        MultiLayerNetwork distributed = SmallRun.latest(RunDirectory.open(runDir, sc.hadoopConfiguration())).net();

        INDArray[] local = singleJvmStep(settings);
        INDArray initial = local[0];
        assertEquals(1, distributed.getIterationCount());
        // Compare the updates, not the parameters. Adam's first step is about lr * g / (|g| + eps) per element, so
        // elements whose gradient is within a few eps of zero turn float rounding into visible differences.
        assertTrue(local[1].sub(initial).norm2Number().doubleValue() > 0, "the step changed the parameters");
        double relative = SmallRun.relativeDifference(distributed.params(), local[1], initial);
        assertTrue(relative < 1e-2, "|distributed update - single-JVM update| / |single-JVM update| = " + relative);
    }

    /**
     * The same network, init pass and first minibatch as the distributed run, trained by one fit in this JVM:
     * the parameters after the init pass and after the step.
     */
    private static INDArray[] singleJvmStep(Settings settings) {
        HadoopConf conf = new HadoopConf(sc.hadoopConfiguration());
        MnistDataset data = MnistDataset.open(mnist, MnistFileNames.STANDARD, conf.get()).limit(32, 512);
        Dequantization dequantization = settings.data().dequantization(settings.train().seed());
        MultiLayerNetwork net = SmallRun.initializedNetwork(settings, conf.get());
        EpochPlan plan = EpochPlan.start(data.train(), 0, 32, settings.train().seed());
        ReadMinibatches read = new ReadMinibatches(dequantization, 32, 1, conf);
        DataSet batch = read.call(plan.round(0, 1, 1).get(0)).next();
        INDArray initial = net.params().dup();
        net.fit(batch);
        return new INDArray[]{initial, net.params()};
    }

}
