package io.glowspark.train;

import io.glowspark.checkpoint.CheckpointException;
import io.glowspark.checkpoint.CheckpointMetadata;
import io.glowspark.checkpoint.CheckpointStore;
import io.glowspark.checkpoint.EpochProgress;
import io.glowspark.checkpoint.NonFiniteCheckpointException;
import io.glowspark.checkpoint.RestoredCheckpoint;
import io.glowspark.checkpoint.RunDirectory;
import io.glowspark.config.Settings;
import io.glowspark.data.LabeledImages;
import io.glowspark.flow.GlowSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where a job starts in its run directory: the newest usable checkpoint ({@link RestoredCheckpoint#newest}), checked
 * against this job's configuration and data, or nothing for a new run. Nothing is ever silently lost: a run that cannot
 * be continued is refused with the reason and left as it is, unless run.fresh=true, which moves it to
 * {@code previous/<timestamp>/} first.
 */
final class Resumption {

    private static final Logger log = LoggerFactory.getLogger(Resumption.class);

    private final Settings settings;
    private final RunDirectory run;
    private final CheckpointStore store;

    Resumption(Settings settings, RunDirectory run, CheckpointStore store) {
        this.settings = settings;
        this.run = run;
        this.store = store;
    }

    /**
     * The checkpoint to resume from, empty for a new run (after archiving the old one, if run.fresh=true asked to).
     *
     * @param spec  the model this job's settings and data describe
     * @param train this job's training set
     * @throws RunConflictException        if the run is of another model, or its epoch in progress cannot be continued
     *                                     exactly with this data
     * @throws TrainingFailedException     if every checkpoint holds non-finite parameters
     * @throws CheckpointException         if no checkpoint can be used for another reason (damage)
     */
    Optional<RestoredCheckpoint> checkpoint(GlowSpec spec, LabeledImages train) throws IOException {
        RestoredCheckpoint.Newest newest = RestoredCheckpoint.newest(store);
        newest.skipped().forEach(e -> log.warn("Passing over a checkpoint that cannot be used: {}", e.getMessage()));
        if (newest.restored().isEmpty()) {
            return newest.skipped().isEmpty() ? Optional.empty() : startOver(newest.skipped());
        }
        RestoredCheckpoint latest = newest.restored().get();
        CheckpointMetadata m = latest.metadata();
        if (!m.configHash().equals(settings.compatibilityHash())) {
            if (!settings.run().fresh()) {
                throw new RunConflictException(run.root() + " holds a run of another configuration (checkpoint "
                        + latest.name() + ", configuration hash " + m.configHash() + ", this one "
                        + settings.compatibilityHash() + "); resume it with its own configuration, choose another "
                        + "run.dir, or set run.fresh=true to move the old run aside and start over");
            }
            log.info("run.fresh=true: moved the previous run, of another configuration, to {}", run.archivePreviousRun());
            return Optional.empty();
        }
        if (!latest.glow().spec().equals(spec)) {
            throw new RunConflictException("checkpoint " + store.location(latest.name()) + " holds a model of "
                    + latest.glow().spec() + ", but this job's settings and data make " + spec);
        }
        requireContinuable(latest, train);
        return Optional.of(latest);
    }

    /** An epoch stopped part-way continues in its own order, which must fit the training set. */
    private void requireContinuable(RestoredCheckpoint latest, LabeledImages train) {
        EpochProgress progress = latest.metadata().progress();
        if (progress.started() && progress.trainImages() != train.count()) {
            throw new RunConflictException("checkpoint " + store.location(latest.name()) + " stopped epoch "
                    + (latest.metadata().epoch() + 1) + " after " + progress.blocksDone() + " of its " + progress.blocks()
                    + " blocks, an order made for " + progress.trainImages() + " training images, but the training set "
                    + "now has " + train.count() + " (data.train-limit or the data changed); the epoch cannot go on "
                    + "with exactly the images it has not seen. Finish it with the training set it started with, or "
                    + "resume from a checkpoint taken at the end of an epoch");
        }
    }

    /** No checkpoint can be used: refuse, keeping the run as it is, or move it aside if run.fresh=true says so. */
    private Optional<RestoredCheckpoint> startOver(List<CheckpointException> skipped) throws IOException {
        String reasons = skipped.stream().map(Throwable::getMessage).collect(Collectors.joining("; "));
        if (settings.run().fresh()) {
            log.warn("run.fresh=true: no checkpoint can be used ({}); moved the run to {} to start over", reasons,
                    run.archivePreviousRun());
            return Optional.empty();
        }
        String keep = "; nothing was changed. Set run.fresh=true to move the run to " + run.root()
                + "/previous/<timestamp>/ and start over";
        if (skipped.stream().allMatch(e -> e instanceof NonFiniteCheckpointException)) {
            throw new TrainingFailedException("every checkpoint of " + run.root() + " holds non-finite parameters (the "
                    + "run diverged before it wrote them): " + reasons + keep + ", with a lower train.learning-rate");
        }
        throw new CheckpointException(run.checkpointsDir().toString(), "none of its " + skipped.size()
                + " checkpoints can be used: " + reasons + keep);
    }
}
