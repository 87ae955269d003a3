package io.glowspark.config;

import java.io.Serializable;

/**
 * @param everyIterations checkpoint every N iterations; 0 disables
 * @param everyMinutes    checkpoint every N minutes of training; 0 disables
 * @param atEpochEnd      checkpoint at the end of every epoch
 * @param keepLast        complete checkpoints kept, newest first
 * @param keepBest        also keep the checkpoint with the best test bits/dim
 */
public record CheckpointSettings(int everyIterations, int everyMinutes, boolean atEpochEnd, int keepLast,
                                 boolean keepBest) implements Serializable {

    static CheckpointSettings read(SettingsReader r) {
        return new CheckpointSettings(
                r.intAtLeast("checkpoint.every-iterations", 0),
                r.intAtLeast("checkpoint.every-minutes", 0),
                r.bool("checkpoint.at-epoch-end"),
                r.intAtLeast("checkpoint.keep-last", 1),
                r.bool("checkpoint.keep-best"));
    }
}
