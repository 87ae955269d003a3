package io.glowspark.inspect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import io.glowspark.ProjectVersion;
import io.glowspark.checkpoint.CheckpointMetadata;
import io.glowspark.checkpoint.CheckpointStore;
import io.glowspark.checkpoint.EpochMetrics;
import io.glowspark.checkpoint.EpochProgress;
import io.glowspark.checkpoint.RunDirectory;
import io.glowspark.checkpoint.RunLock;
import io.glowspark.config.Settings;
import io.glowspark.data.LabeledImages;
import io.glowspark.data.MnistTestFiles;
import io.glowspark.data.RawImages;
import io.glowspark.data.Shard;
import io.glowspark.flow.GlowSpec;
import io.glowspark.layer.GlowLayerConfig;
import io.glowspark.layer.GlowNetwork;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * A run directory as the trainer leaves it, written without Spark: a 2-level, 1-step Glow with 8 hidden channels
 * (unconditional, or class-conditional) trained for a few steps on 64 real MNIST images and their labels, two
 * checkpoints (after the ActNorm initialization and after
 * training), config.conf and metrics.jsonl. Its test set is the first 32 MNIST test images. The trained checkpoint's
 * Polyak average stands in as the parameters halfway through training, so that they differ from the raw ones.
 */
public final class TinyRun {

    public static final int TEST_IMAGES = 32;
    public static final int SIDE = 28;
    private static final int TRAINING_STEPS = 4;
    public static final String INITIAL = CheckpointStore.fileName(0);
    public static final String TRAINED = CheckpointStore.fileName(TRAINING_STEPS);

    private final RunDirectory run;
    private final Settings settings;
    private final MultiLayerNetwork net;
    private INDArray polyakParameters;

    private TinyRun(RunDirectory run, Settings settings, MultiLayerNetwork net) {
        this.run = run;
        this.settings = settings;
        this.net = net;
    }

    public static TinyRun create(Path dir) throws IOException {
        return create(dir, false);
    }

    /** The same with a class-conditional model (model.conditional=true). */
    public static TinyRun createConditional(Path dir) throws IOException {
        return create(dir, true);
    }

    private static TinyRun create(Path dir, boolean conditional) throws IOException {
        Settings settings = Settings.load(Optional.empty(), List.of("run.dir=" + dir.toUri(),
                "data.dir=" + MnistTestFiles.dir().toUri(), "data.test-limit=" + TEST_IMAGES, "model.levels=2",
                "model.steps-per-level=1", "model.hidden-channels=8", "train.seed=7", "model.conditional=" + conditional));
        GlowSpec spec = settings.model().toSpec(1, SIDE, SIDE, settings.data().nBits());
        MultiLayerNetwork net = GlowNetwork.create(new GlowLayerConfig(spec), new Adam(2e-3), 7, DataType.FLOAT);
        DataSet batch = trainingImages(settings);
        GlowNetwork.initializeActNorm(net, batch.getFeatures());

        TinyRun tiny = new TinyRun(RunDirectory.open(dir.toUri(), new Configuration()), settings, net);
        try (RunLock lock = tiny.run.lock()) {
            tiny.run.writeConfig(settings.render());
            tiny.run.appendMetrics(EpochMetrics.afterInitialization(5.12));
            tiny.writeCheckpoint(0, 0, 5.12, net, net.params(), settings.compatibilityHash());
            for (int i = 0; i < TRAINING_STEPS; i++) {
                net.fit(batch);
                if (i == TRAINING_STEPS / 2 - 1) {
                    tiny.polyakParameters = net.params().dup();
                }
            }
            tiny.run.appendMetrics(new EpochMetrics(1, 4, 256, 4.5, 4.4, 123.4, 2.07, 0.002));
            tiny.writeCheckpoint(1, TRAINING_STEPS, 4.4, net, tiny.polyakParameters, settings.compatibilityHash());
        }
        return tiny;
    }

    public String uri() {
        return run.root().toString();
    }

    public RunDirectory directory() {
        return run;
    }

    /** The Polyak average in the trained checkpoint. */
    public INDArray polyakParameters() {
        return polyakParameters;
    }

    /** The raw parameters in the trained checkpoint. */
    public INDArray rawParameters() {
        return net.params();
    }

    /** Adds a checkpoint of the trained model at {@code iteration} with one parameter set to NaN. */
    public void writeNaNCheckpoint(long iteration) throws IOException {
        MultiLayerNetwork broken = net.clone();
        broken.params().putScalar(0, Double.NaN);
        try (RunLock lock = run.lock()) {
            writeCheckpoint(2, iteration, Double.NaN, broken, broken.params(), settings.compatibilityHash());
        }
    }

    /** Adds a checkpoint of the trained model at {@code iteration} whose metadata names another configuration. */
    public void writeCheckpointOfAnotherConfiguration(long iteration) throws IOException {
        try (RunLock lock = run.lock()) {
            writeCheckpoint(2, iteration, 4.3, net, net.params(), "another-configuration");
        }
    }

    /** Cuts a checkpoint file to half its length, as a copy that stopped half-way would leave it. */
    public void truncate(String checkpoint) throws IOException {
        java.nio.file.Path file = Path.of(run.checkpointsDir().toUri()).resolve(checkpoint);
        byte[] whole = Files.readAllBytes(file);
        run.fileSystem().delete(new org.apache.hadoop.fs.Path(run.checkpointsDir(), checkpoint), false);
        Files.write(file, Arrays.copyOf(whole, whole.length / 2));
    }

    private void writeCheckpoint(int epoch, long iteration, double testBpd, MultiLayerNetwork model, INDArray polyak,
                                 String configHash) throws IOException {
        CheckpointMetadata metadata = new CheckpointMetadata(epoch, iteration, iteration * 64, EpochProgress.NOT_STARTED,
                Double.NaN, testBpd, settings.train().seed(), true, configHash, System.currentTimeMillis(),
                ProjectVersion.get());
        run.checkpoints(10, true).write(metadata, out -> ModelSerializer.writeModel(model, out, true),
                out -> GlowNetwork.writeParameters(polyak, out));
    }

    /** The first 64 training images, dequantized, with their labels as the trainer's minibatches carry them. */
    private static DataSet trainingImages(Settings settings) {
        Configuration conf = new Configuration();
        LabeledImages train = LabeledImages.open(settings.data().resolveDir(), settings.data().fileNames().trainImages(),
                settings.data().fileNames().trainLabels(), conf);
        RawImages raw = new Shard(train.images(), train.labels(), 0, 64).read(conf);
        INDArray labels = Nd4j.createFromArray(raw.labels()).castTo(DataType.FLOAT).reshape(raw.count(), 1);
        return new DataSet(settings.data().dequantization(settings.train().seed()).withNoise(raw, 0), labels);
    }
}
