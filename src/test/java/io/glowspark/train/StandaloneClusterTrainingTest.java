package io.glowspark.train;

import io.glowspark.checkpoint.EpochMetrics;
import io.glowspark.checkpoint.RunDirectory;
import io.glowspark.config.Settings;
import io.glowspark.testing.LogCapture;
import io.glowspark.testing.MiniHdfs;
import io.glowspark.testing.StandaloneCluster;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The training job on a real multi-JVM Spark standalone cluster (a Master and two Workers, on 127.0.0.1): executors
 * in their own JVMs read MNIST from HDFS and parameter averaging crosses process boundaries.
 */
@Tag("slow")
class StandaloneClusterTrainingTest {

    @Test
    void twoEpochsOnTwoExecutorJvmsLowerTestBitsPerDim() throws Exception {
        try (MiniHdfs hdfs = new MiniHdfs("standalone");
             StandaloneCluster cluster = StandaloneCluster.start(2)) {
            URI mnist = SmallRun.mnistOn(hdfs);
            String runDir = hdfs.uri("/runs/standalone").toString();
            Settings settings = Settings.load(Optional.empty(), SmallRun.overrides(runDir, mnist, "train.epochs=2"));
            SparkConf conf = cluster.driverConf("StandaloneClusterTrainingTest")
                    .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                    .set("spark.kryo.registrator", KryoRegistrator.class.getName());
            try (JavaSparkContext sc = cluster.newContext(conf)) {
                new GlowTrainer(settings, sc).run();
                List<EpochMetrics> metrics = RunDirectory.open(runDir, sc.hadoopConfiguration()).readMetrics();
                assertEquals(3, metrics.size(), metrics.toString());
                double init = metrics.get(0).testBpd();
                double epoch1 = metrics.get(1).testBpd();
                double epoch2 = metrics.get(2).testBpd();
                assertTrue(epoch2 < epoch1 && epoch1 < init, init + " -> " + epoch1 + " -> " + epoch2);
            }
        }
    }

    /**
     * Two workers of 2 cores, so 4 task slots, while Spark's default parallelism is 2 when the context starts (no
     * executor has registered yet): with spark.workers=0 the driver waits for the 4 cores asked for
     * (spark.cores.max), and every training round runs 4 tasks at once, 2 in each executor. An application that asks
     * for more cores than the cluster has gets those there after the waiting time, with a warning.
     */
    @Test
    void everyExecutorCoreTrainsThoughTheExecutorsRegisterAfterTheContextStarted() throws Exception {
        try (MiniHdfs hdfs = new MiniHdfs("standalone-cores");
             StandaloneCluster cluster = StandaloneCluster.start(2, 2, StandaloneCluster.DEFAULT_TIMEOUT);
             LogCapture log = new LogCapture(WorkerCount.class.getName())) {
            String runDir = hdfs.uri("/runs/cores").toString();
            Settings settings = Settings.load(Optional.empty(), SmallRun.overrides(runDir, SmallRun.mnistOn(hdfs),
                    "data.train-limit=1024", "data.test-limit=128", "spark.workers=0"));
            SparkConf conf = cluster.driverConf("StandaloneClusterTrainingTest-cores")
                    .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                    .set("spark.kryo.registrator", KryoRegistrator.class.getName());
            TaskSlots slots = new TaskSlots();
            try (JavaSparkContext sc = new JavaSparkContext(conf)) {
                int parallelismAtStart = sc.defaultParallelism();
                sc.sc().addSparkListener(slots);
                new GlowTrainer(settings, sc).run();

                assertTrue(parallelismAtStart < 4, "Spark's default parallelism at the start: " + parallelismAtStart);
                // 1024 images in blocks of 32, 4 workers x 4 blocks a round: 2 rounds
                List<TaskSlots.Stage> rounds = slots.stages("ParameterAveragingTrainingMaster");
                assertEquals(2, rounds.size(), slots.toString());
                for (TaskSlots.Stage round : rounds) {
                    assertEquals(4, round.tasks(), round.toString());
                    assertEquals(List.of(2L, 2L), round.tasksPerExecutor(), round.toString());
                    assertEquals(4, round.mostAtOnce(), round.toString());
                }
                assertTrue(log.logged("INFO 4 workers: 2 executors with 4 task slots registered"), log.lines().toString());
            }
            SparkConf tooMany = cluster.driverConf("StandaloneClusterTrainingTest-too-many-cores")
                    .set("spark.cores.max", "6")
                    .set("spark.scheduler.maxRegisteredResourcesWaitingTime", "3s");
            try (JavaSparkContext sc = new JavaSparkContext(tooMany)) {
                assertEquals(4, WorkerCount.of(settings.spark(), settings.train().batchSizePerWorker(), sc.sc()));
                assertTrue(log.logged("WARN 4 workers: 2 executors with 4 task slots registered",
                        "fewer than the 6 cores asked for (spark.cores.max=6)"), log.lines().toString());
            }
        }
    }
}
