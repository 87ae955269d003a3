package io.glowspark.train;

import io.glowspark.checkpoint.EpochMetrics;
import io.glowspark.checkpoint.RestoredCheckpoint;
import io.glowspark.checkpoint.RunDirectory;
import io.glowspark.config.DataSettings;
import io.glowspark.config.Settings;
import io.glowspark.data.Dequantization;
import io.glowspark.data.LabeledImages;
import io.glowspark.data.MnistDataset;
import io.glowspark.data.MnistFileNames;
import io.glowspark.data.MnistTestFiles;
import io.glowspark.data.Shard;
import io.glowspark.layer.GlowLayerConfig;
import io.glowspark.layer.GlowNetwork;
import io.glowspark.testing.MiniHdfs;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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

    /** The network a fresh run of {@code settings} starts training from: built and ActNorm-initialized as GlowTrainer does. */
    static MultiLayerNetwork initializedNetwork(Settings settings, Configuration hadoopConf) {
        DataSettings d = settings.data();
        LabeledImages train = MnistDataset.open(d.resolveDir(), d.fileNames(), hadoopConf)
                .limit(d.trainLimit(), d.testLimit()).train();
        Dequantization dequantization = d.dequantization(settings.train().seed());
        MultiLayerNetwork net = GlowNetwork.create(
                new GlowLayerConfig(settings.model().toSpec(1, dequantization.outputRows(train.rows()),
                        dequantization.outputCols(train.cols()), d.nBits()))
                        .withGradientClipping(settings.train().gradientClip()),
                LearningRates.updater(settings.train()), settings.train().seed(), DataType.FLOAT);
        Shard first = new Shard(train.images(), train.labels(), 0, Math.min(settings.train().initBatchSize(), train.count()));
        GlowNetwork.initializeActNorm(net, dequantization.withNoise(first.read(hadoopConf), 0));
        return net;
    }

    /** The run's newest usable checkpoint, the one a job started on it resumes from. */
    static RestoredCheckpoint latest(RunDirectory run) throws IOException {
        return RestoredCheckpoint.newest(run.checkpoints(1, false)).restored().orElseThrow();
    }

    /** The parameters of the run's newest usable checkpoint. */
    static INDArray latestParameters(RunDirectory run) throws IOException {
        return latest(run).net().params();
    }

    /** The Polyak-averaged parameters of the run's newest usable checkpoint. */
    static INDArray latestPolyakParameters(RunDirectory run) throws IOException {
        return latest(run).polyakParameters().orElseThrow();
    }

    /** |actual - expected| / |expected - initial|: a difference measured against what training changed. */
    static double relativeDifference(INDArray actual, INDArray expected, INDArray initial) {
        return actual.sub(expected).norm2Number().doubleValue() / expected.sub(initial).norm2Number().doubleValue();
    }

    /** Every file of the run directory with its length and modification time, to show a job changed nothing. */
    static Map<String, String> files(RunDirectory run) throws IOException {
        Map<String, String> files = new TreeMap<>();
        RemoteIterator<LocatedFileStatus> it = run.fileSystem().listFiles(run.root(), true);
        while (it.hasNext()) {
            LocatedFileStatus f = it.next();
            files.put(f.getPath().toString(), f.getLen() + " bytes, modified " + f.getModificationTime());
        }
        return files;
    }

    /** epoch/iteration/images_seen of every metrics.jsonl line: where the run stood when it wrote the line. */
    static List<String> positions(List<EpochMetrics> metrics) {
        return metrics.stream().map(m -> m.epoch() + "/" + m.iteration() + "/" + m.imagesSeen()).toList();
    }
}
