package io.glowspark.train;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Driver-side progress of an epoch: throughput, bits/dim and the ETA of the epoch and of the whole run (its test
 * evaluations included), logged after a round when {@link #LINE_INTERVAL} has passed since the last line, so fast
 * rounds do not flood the log and slow ones each get a line.
 */
final class Progress {

    static final Duration LINE_INTERVAL = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(Progress.class);

    private final int epoch;
    private final int epochs;
    private final int rounds;
    private final RunPace pace;
    private final long startNanos;
    private long roundEndNanos;
    private long lineNanos;
    private int roundsDone;
    private int roundsThisRun;
    private long images;
    private double bpdSum;

    Progress(int epoch, int epochs, int firstRound, int rounds, RunPace pace) {
        this.epoch = epoch;
        this.epochs = epochs;
        this.rounds = rounds;
        this.roundsDone = firstRound;
        this.pace = pace;
        this.startNanos = pace.nanoTime();
        this.roundEndNanos = startNanos;
        this.lineNanos = startNanos;
    }

    void roundDone(long roundImages, double bpd, long iteration) {
        long now = pace.nanoTime();
        pace.roundDone((now - roundEndNanos) / 1e9, roundImages);
        roundEndNanos = now;
        roundsDone++;
        roundsThisRun++;
        images += roundImages;
        bpdSum += bpd;
        if (now - lineNanos < LINE_INTERVAL.toNanos()) {
            return;
        }
        lineNanos = now;
        int roundsLeft = rounds - roundsDone;
        double epochSeconds = pace.secondsFor(roundsLeft, 1);
        double runSeconds = pace.secondsFor(roundsLeft + (long) (epochs - epoch - 1) * rounds, epochs - epoch);
        log.info(String.format("epoch %d/%d round %d/%d  iteration %d  %.1f images/s  train bpd %.4f  run ETA %s (epoch %s)",
                epoch + 1, epochs, roundsDone, rounds, iteration, imagesPerSecond(), bpd, format(runSeconds),
                format(epochSeconds)));
    }

    double seconds() {
        return (pace.nanoTime() - startNanos) / 1e9;
    }

    double imagesPerSecond() {
        return images / Math.max(1e-9, seconds());
    }

    long images() {
        return images;
    }

    /** Mean training bits/dim over this run's rounds of the epoch. */
    double meanBpd() {
        return roundsThisRun == 0 ? Double.NaN : bpdSum / roundsThisRun;
    }

    private static String format(double seconds) {
        Duration d = Duration.ofSeconds(Math.round(seconds));
        return String.format("%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
    }
}
