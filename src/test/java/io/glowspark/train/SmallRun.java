package io.glowspark.train;

import io.glowspark.data.MnistFileNames;
import io.glowspark.data.MnistTestFiles;
import io.glowspark.testing.MiniHdfs;
import org.apache.spark.SparkConf;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A training run small enough for tests: 2048 MNIST images, a 2x2-step Glow with 16 hidden channels. Public for the
 * tests of other packages that need a real run directory (the notebooks).
 */
public final class SmallRun {

    private SmallRun() {
    }

    /** Copies the real MNIST files into HDFS and returns the directory. */
    public static URI mnistOn(MiniHdfs hdfs) throws IOException {
        MnistFileNames names = MnistFileNames.STANDARD;
        java.nio.file.Path local = MnistTestFiles.dir();
        return hdfs.copy("/datasets/mnist", List.of(local.resolve(names.trainImages()), local.resolve(names.trainLabels()),
                local.resolve(names.testImages()), local.resolve(names.testLabels())));
    }

    public static List<String> overrides(String runDir, URI mnist, String... more) {
        List<String> overrides = new ArrayList<>(List.of(
                "run.dir=" + runDir, "data.dir=" + mnist,
                "data.train-limit=2048", "data.test-limit=512",
                "model.levels=2", "model.steps-per-level=2", "model.hidden-channels=16",
                "train.batch-size-per-worker=32", "train.learning-rate=2e-3", "train.warmup-iterations=8",
                "train.init-batch-size=256", "spark.workers=2", "spark.averaging-frequency=4",
                "checkpoint.every-minutes=0"));
        overrides.addAll(List.of(more));
        return overrides;
    }

    /** Spark local[2] on 127.0.0.1 with the job's Kryo setup, no UI. */
    public static SparkConf localSparkConf(String appName) {
        return new SparkConf().setMaster("local[2]").setAppName(appName)
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .set("spark.kryo.registrator", KryoRegistrator.class.getName());
    }

    /** test_bpd of one metrics.jsonl line. */
    static double testBpd(String json) {
        Matcher m = Pattern.compile("\"test_bpd\":([-0-9.eE]+)").matcher(json);
        if (!m.find()) {
            throw new AssertionError("no test_bpd in " + json);
        }
        return Double.parseDouble(m.group(1));
    }
}
