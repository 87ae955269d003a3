package io.glowspark.train;

import io.glowspark.checkpoint.Checkpoint;
import io.glowspark.checkpoint.RunDirectory;
import io.glowspark.config.Settings;
import io.glowspark.data.Dequantization;
import io.glowspark.data.MnistDataset;
import io.glowspark.data.MnistFileNames;
import io.glowspark.data.Shard;
import io.glowspark.flow.GlowSpec;
import io.glowspark.layer.GlowLayerConfig;
import io.glowspark.layer.GlowNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import io.glowspark.testing.MiniHdfs;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.util.List;
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
        sc = new JavaSparkContext(SmallRun.localSparkConf("DistributedTrainingTest"));
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
        GlowTrainer.Outcome outcome = new GlowTrainer(settings, sc).run();

        RunDirectory run = RunDirectory.open(runDir, sc.hadoopConfiguration());
        List<String> metrics = run.readMetrics();
        assertEquals(3, metrics.size(), "a line after the init pass and one per epoch: " + metrics);
        double afterInit = SmallRun.testBpd(metrics.get(0));
        double epoch1 = SmallRun.testBpd(metrics.get(1));
        double epoch2 = SmallRun.testBpd(metrics.get(2));
        assertTrue(epoch2 < epoch1 && epoch1 < afterInit, "test bpd " + afterInit + " -> " + epoch1 + " -> " + epoch2);
        assertEquals(epoch2, outcome.testBpd(), 1e-4);
        assertTrue(run.fileSystem().exists(new Path(run.samplesDir(), "epoch-002-t0.70.png")));
        assertTrue(run.readConfig().isPresent());
        Checkpoint latest = run.checkpoints(3, true).latestLoadable().orElseThrow();
        assertEquals(2, latest.metadata().epoch());
        assertTrue(latest.metadata().actNormInitialized());
    }

    @Test
    void oneWorkerOneStepEqualsASingleJvmStepFromTheSameInitializedParameters() throws IOException {
        String runDir = hdfs.uri("/runs/one-step").toString();
        Settings settings = Settings.load(Optional.empty(), SmallRun.overrides(runDir, mnist, "train.epochs=1", "data.train-limit=32",
                "spark.workers=1", "spark.averaging-frequency=1", "spark.training-approach=direct"));
        GlowTrainer trainer = new GlowTrainer(settings, sc);
        trainer.run();
        MultiLayerNetwork distributed = ModelSerializer.restoreMultiLayerNetwork(
                RunDirectory.open(runDir, sc.hadoopConfiguration()).checkpoints(3, true).latestLoadable().orElseThrow().model(), true);

        INDArray[] local = singleJvmStep(settings);
        INDArray initial = local[0];
        assertEquals(1, distributed.getIterationCount());
        // Compare the updates, not the parameters. Adam's first step is about lr * g / (|g| + eps) per element, so
        // elements whose gradient is within a few eps of zero turn float rounding into visible differences.
        INDArray localUpdate = local[1].sub(initial);
        INDArray distributedUpdate = distributed.params().sub(initial);
        double relative = distributedUpdate.sub(localUpdate).norm2Number().doubleValue() / localUpdate.norm2Number().doubleValue();
        assertTrue(localUpdate.norm2Number().doubleValue() > 0, "the step changed the parameters");
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
        GlowSpec spec = settings.model().toSpec(1, 28, 28, settings.data().nBits());
        MultiLayerNetwork net = GlowNetwork.create(new GlowLayerConfig(spec).withGradientClipping(settings.train().gradientClip()),
                LearningRates.updater(settings.train()), settings.train().seed(), DataType.FLOAT);
        Shard first = new Shard(data.train().images(), data.train().labels(), 0, 32);
        GlowNetwork.initializeActNorm(net, dequantization.withNoise(first.read(conf.get()), 0));
        EpochPlan plan = new EpochPlan(data.train().shards(1), settings.train().seed(), 1, 1);
        ReadMinibatches read = new ReadMinibatches(dequantization, 32, 1, conf);
        DataSet batch = read.call(plan.round(0, 0).get(0)).next();
        INDArray initial = net.params().dup();
        net.fit(batch);
        return new INDArray[]{initial, net.params()};
    }

}
