package io.glowspark.inspect;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import io.glowspark.checkpoint.CheckpointException;
import io.glowspark.checkpoint.CheckpointMetadata;
import io.glowspark.checkpoint.CheckpointStore;
import io.glowspark.checkpoint.EpochMetrics;
import io.glowspark.checkpoint.RestoredCheckpoint;
import io.glowspark.checkpoint.RunDirectory;
import io.glowspark.config.DataSettings;
import io.glowspark.config.Settings;
import io.glowspark.data.Dequantization;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a training run's directory on any Hadoop file system, without Spark and without its lock, so it can be used
 * while the run is training: its settings, metrics, checkpoints and test set.
 */
public final class RunReader {

    private static final Logger LOG = LoggerFactory.getLogger(RunReader.class);

    private final RunDirectory run;
    private final CheckpointStore store;
    private final Settings settings;
    private final Configuration conf;
    private TestSet testSet;

    private RunReader(RunDirectory run, Settings settings, Configuration conf) {
        this.run = run;
        // Retention applies only to writers; a reader never writes.
        this.store = run.checkpoints(1, true);
        this.settings = settings;
        this.conf = conf;
    }

    public static RunReader open(String runDirUri) throws IOException {
        return open(runDirUri, new Configuration());
    }

    /**
     * @throws FileNotFoundException if the directory or its config.conf does not exist
     * @throws io.glowspark.config.SettingsException if config.conf is not valid for this version
     */
    public static RunReader open(String runDirUri, Configuration conf) throws IOException {
        RunDirectory run = RunDirectory.open(runDirUri, conf);
        if (!run.fileSystem().exists(run.root())) {
            throw new FileNotFoundException("run directory " + run.root() + " does not exist");
        }
        String config = run.readConfig().orElseThrow(() -> new FileNotFoundException(run.configFile()
                + " does not exist: not a run directory, or its training has not started"));
        return new RunReader(run, Settings.parse(config, run.configFile().toString()), conf);
    }

    /** The run directory's full URI. */
    public String uri() {
        return run.root().toString();
    }

    /** The run's resolved configuration, from its config.conf. */
    public Settings settings() {
        return settings;
    }

    /** File names of the complete checkpoints, oldest first. */
    public List<String> checkpointNames() throws IOException {
        return store.list();
    }

    /**
     * A checkpoint of the run as the tools list it: its metadata, when that reads, and whether it can be used.
     *
     * @param name     the file name, e.g. {@code ckpt-000000001200.zip}
     * @param metadata its metadata; empty when even that does not read
     * @param problem  why the checkpoint cannot be used, or a warning about it; empty when it is fine
     * @param usable   whether it loads, restores and is finite (see {@link RestoredCheckpoint})
     */
    public record CheckpointEntry(String name, Optional<CheckpointMetadata> metadata, Optional<String> problem,
                                  boolean usable) {
    }

    /** Every complete checkpoint, oldest first, each checked as a job resuming from it would check it. */
    public List<CheckpointEntry> checkpoints() throws IOException {
        List<CheckpointEntry> entries = new ArrayList<>();
        for (String name : checkpointNames()) {
            try {
                RestoredCheckpoint restored = RestoredCheckpoint.of(store, name);
                entries.add(new CheckpointEntry(name, Optional.of(restored.metadata()), configurationWarning(restored), true));
            } catch (CheckpointException e) {
                entries.add(new CheckpointEntry(name, metadataIfReadable(name), Optional.of(e.problem()), false));
            }
        }
        return entries;
    }

    /**
     * The records of metrics.jsonl in order, empty if there are none yet.
     *
     * @throws io.glowspark.checkpoint.DamagedFileException naming the file and line of a line that is not a record
     */
    public List<EpochMetrics> metrics() throws IOException {
        return run.readMetrics();
    }

    /**
     * The newest usable checkpoint; the newer ones passed over, and why, are in its {@link TrainedGlow#warnings()}.
     *
     * @throws CheckpointException if the run has no checkpoint, or none can be used (each one's reason named)
     */
    public TrainedGlow latest() throws IOException {
        RestoredCheckpoint.Newest newest = RestoredCheckpoint.newest(store);
        if (newest.restored().isEmpty()) {
            if (newest.skipped().isEmpty()) {
                throw noCheckpoint();
            }
            throw new CheckpointException(run.checkpointsDir().toString(), "none of its " + newest.skipped().size()
                    + " checkpoints can be used: " + newest.skipped().stream().map(Throwable::getMessage)
                    .collect(Collectors.joining("; ")));
        }
        List<String> warnings = new ArrayList<>();
        newest.skipped().forEach(e -> warnings.add("skipped " + e.getMessage()));
        return trainedGlow(newest.restored().get(), warnings);
    }

    /** The checkpoint with the lowest test bits/dim. */
    public TrainedGlow best() throws IOException {
        if (checkpointNames().isEmpty()) {
            throw noCheckpoint();
        }
        String name = store.best().orElseThrow(() -> new CheckpointException(run.checkpointsDir().toString(),
                "no checkpoint of this run has a test score"));
        return load(name);
    }

    /**
     * A checkpoint by file name, e.g. {@code ckpt-000000001200.zip}.
     *
     * @throws CheckpointException if there is none of that name, or it cannot be used (see {@link RestoredCheckpoint})
     */
    public TrainedGlow load(String checkpointName) throws IOException {
        List<String> names = checkpointNames();
        if (!names.contains(checkpointName)) {
            throw new CheckpointException(store.location(checkpointName), names.isEmpty() ? "does not exist; the run "
                    + "has no checkpoint yet" : "does not exist; the run has " + String.join(", ", names));
        }
        return trainedGlow(RestoredCheckpoint.of(store, checkpointName), new ArrayList<>());
    }

    /** The run's test set as it was trained on (its data.dir and data.test-limit). */
    public TestSet testSet() {
        if (testSet == null) {
            DataSettings data = settings.data();
            testSet = TestSet.open(data.resolveDir(), data.fileNames(), data.testLimit(), dequantization(), conf);
        }
        return testSet;
    }

    /**
     * The run's training images (all of them, its data.train-limit aside), dequantized like its test set: where the
     * mean latents of classes come from.
     */
    public TestSet trainingSet() {
        DataSettings data = settings.data();
        return TestSet.openTraining(data.resolveDir(), data.fileNames(), dequantization(), conf);
    }

    /** All test images of another IDX directory (same file names as the run's), dequantized like the run's. */
    public TestSet testSet(String dataDirUri) {
        return TestSet.open(new Path(dataDirUri).toUri(), settings.data().fileNames(), 0, dequantization(), conf);
    }

    /** Test images {@code [indices.length, 1, H, W]} of the run's test set, without dequantization noise. */
    public INDArray testImages(int... indices) {
        return testSet().images(indices);
    }

    public int[] testLabels(int... indices) {
        return testSet().labels(indices);
    }

    private Dequantization dequantization() {
        return settings.data().dequantization(settings.train().seed());
    }

    private TrainedGlow trainedGlow(RestoredCheckpoint restored, List<String> warnings) {
        configurationWarning(restored).ifPresent(w -> warnings.add(restored.name() + ": " + w));
        warnings.forEach(w -> LOG.warn("{}", w));
        return TrainedGlow.from(restored, warnings);
    }

    /** A checkpoint written with another model configuration than the run's config.conf still loads, with a warning. */
    private Optional<String> configurationWarning(RestoredCheckpoint restored) {
        String hash = restored.metadata().configHash();
        return hash.equals(settings.compatibilityHash()) ? Optional.empty() : Optional.of("written with another model "
                + "configuration (hash " + hash + ") than the run's " + run.configFile() + " (hash "
                + settings.compatibilityHash() + ")");
    }

    private Optional<CheckpointMetadata> metadataIfReadable(String name) throws IOException {
        try {
            return Optional.of(store.metadata(name));
        } catch (CheckpointException e) {
            return Optional.empty();
        }
    }

    private CheckpointException noCheckpoint() {
        return new CheckpointException(run.checkpointsDir().toString(), "no checkpoint in this run yet");
    }
}
