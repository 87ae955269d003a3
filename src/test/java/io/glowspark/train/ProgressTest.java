package io.glowspark.train;

import io.glowspark.checkpoint.EpochProgress;
import io.glowspark.testing.LogCapture;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Progress lines on a clock the test moves: how often they come and the ETA of the whole run they give. */
class ProgressTest {

    private long now;

    @Test
    void aLineAfterEachRoundThatEndsFiveSecondsAfterTheLastWithTheEtaOfTheRunAndItsTestEvaluations() {
        RunPace pace = new RunPace(1000, () -> now);
        pace.timeEvaluation(() -> { // the first epoch's
            advance(3);
            return 7.0;
        });
        try (LogCapture logs = new LogCapture(Progress.class.getName())) {
            Progress progress = new Progress(1, 3, 4, pace);
            advance(7); // the first round, with the warm-up
            progress.roundDone(blocksDone(4), 64, 7.5, 5);
            for (int round = 2; round <= 10; round++) {
                advance(1);
                progress.roundDone(blocksDone(4 * round), 64, 7.0, 5L * round);
            }
            // Round 1: 19 rounds left at 7 s and 2 evaluations at 3 s. Round 6: 14 rounds at 1 s (the warm-up no
            // longer counts) and 2 evaluations. Round 10 ends 4 s after round 6's line: none.
            assertEquals(List.of(
                    "INFO epoch 2/3 blocks 4/40  iteration 5  9.1 images/s  train bpd 7.5000  run ETA 0:02:19 (epoch 0:01:06)",
                    "INFO epoch 2/3 blocks 24/40  iteration 30  32.0 images/s  train bpd 7.0000  run ETA 0:00:20 (epoch 0:00:07)"),
                    logs.lines());
        }
    }

    @Test
    void untilAnEpochsTestEvaluationIsTimedOneCountsAsTheTestSetAtTheTrainingThroughput() {
        RunPace pace = new RunPace(640, () -> now);
        try (LogCapture logs = new LogCapture(Progress.class.getName())) {
            Progress progress = new Progress(1, 2, 4, pace);
            for (int round = 6; round <= 8; round++) {
                advance(2);
                progress.roundDone(blocksDone(4 * round), 64, 6.0, 5L * round);
            }
            // 2 rounds left at 2 s, and the epoch's evaluation: 640 test images at 32 images/s.
            assertEquals(List.of(
                    "INFO epoch 2/2 blocks 32/40  iteration 40  32.0 images/s  train bpd 6.0000  run ETA 0:00:24 (epoch 0:00:24)"),
                    logs.lines());
        }
    }

    /** An epoch of 40 blocks with {@code blocks} of them trained. */
    private static EpochProgress blocksDone(int blocks) {
        return new EpochProgress(2560, 40, 1, blocks, 64L * blocks, 0, 0);
    }

    private void advance(long seconds) {
        now += TimeUnit.SECONDS.toNanos(seconds);
    }
}
