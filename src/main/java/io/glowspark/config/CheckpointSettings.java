package io.glowspark.config;

import java.io.Serializable;
import java.time.Duration;

import io.glowspark.checkpoint.RunLock;

/**
 * @param everyIterations checkpoint every N iterations; 0 disables
 * @param everyMinutes    checkpoint every N minutes of training; 0 disables
 * @param atEpochEnd      checkpoint at the end of every epoch
 * @param keepLast        complete checkpoints kept, newest first
 * @param keepBest        also keep the checkpoint with the best test bits/dim
 * @param lockLease       a run-directory lock not renewed for this long is taken over
 * @param lockRenewEvery  how often the job holding the lock renews it; shorter than two thirds of the lease
 */
public record CheckpointSettings(int everyIterations, int everyMinutes, boolean atEpochEnd, int keepLast,
                                 boolean keepBest, Duration lockLease, Duration lockRenewEvery) implements Serializable {

    static CheckpointSettings read(SettingsReader r) {
        int lease = r.intAtLeast("checkpoint.lock-lease-seconds", 1);
        int renew = r.intAtLeast("checkpoint.lock-renew-seconds", 1);
        r.require(Duration.ofSeconds(renew).compareTo(RunLock.writableFor(Duration.ofSeconds(lease))) < 0,
                "checkpoint.lock-renew-seconds", "must be less than two thirds of checkpoint.lock-lease-seconds ("
                        + lease + "): a job writes only while its last renewal is younger than that, got " + renew);
        return new CheckpointSettings(
                r.intAtLeast("checkpoint.every-iterations", 0),
                r.intAtLeast("checkpoint.every-minutes", 0),
                r.bool("checkpoint.at-epoch-end"),
                r.intAtLeast("checkpoint.keep-last", 1),
                r.bool("checkpoint.keep-best"),
                Duration.ofSeconds(lease),
                Duration.ofSeconds(renew));
    }
}
