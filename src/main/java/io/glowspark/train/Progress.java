package io.glowspark.train;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/** Driver-side progress of an epoch: throughput, bits/dim and the epoch's ETA after every averaging round. */
final class Progress {

    private static final Logger log = LoggerFactory.getLogger(Progress.class);

    private final int epoch;
    private final int epochs;
    private final int rounds;
    private final long startNanos = System.nanoTime();
    private int roundsDone;
    private int roundsThisRun;
    private long images;
    private double bpdSum;

    Progress(int epoch, int epochs, int firstRound, int rounds) {
        this.epoch = epoch;
        this.epochs = epochs;
        this.rounds = rounds;
        this.roundsDone = firstRound;
    }

    void roundDone(long roundImages, double bpd, long iteration) {
        roundsDone++;
        roundsThisRun++;
        images += roundImages;
        bpdSum += bpd;
        double seconds = seconds();
        Duration eta = Duration.ofSeconds(Math.round(seconds / roundsThisRun * (rounds - roundsDone)));
        log.info(String.format("epoch %d/%d round %d/%d  iteration %d  %.1f images/s  train bpd %.4f  epoch ETA %s",
                epoch + 1, epochs, roundsDone, rounds, iteration, imagesPerSecond(), bpd, format(eta)));
    }

    double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
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

    private static String format(Duration d) {
        return String.format("%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
    }
}
