package io.glowspark.train;

import io.glowspark.checkpoint.EpochMetrics;
import io.glowspark.checkpoint.RunDirectory;
import io.glowspark.config.Settings;
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
 * The training job on a real multi-JVM Spark standalone cluster (a Master and two Workers with one core each, on
 * 127.0.0.1): executors in their own JVMs read MNIST from HDFS and parameter averaging crosses process boundaries.
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
}
