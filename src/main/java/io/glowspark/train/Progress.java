package io.glowspark.train;

import io.glowspark.checkpoint.EpochProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Driver-side progress of an epoch: blocks of its order trained, throughput, bits/dim and the ETA of the epoch and
 * of the whole run (its test evaluations included), logged after a round when {@link #LINE_INTERVAL} has passed since
 * the last line, so fast rounds do not flood the log and slow ones each get a line.
 */
final class Progress {

    static final Duration LINE_INTERVAL = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(Progress.class);

    private final int epoch;
    private final int epochs;
    private final int blocksPerRound;
    private final RunPace pace;
    private final long startNanos;
    private long roundEndNanos;
    private long lineNanos;
    private long images;

    /** The epoch {@code epoch} as this run trains it: {@code blocksPerRound} blocks of its order per round. */
    Progress(int epoch, int epochs, int blocksPerRound, RunPace pace) {
        this.epoch = epoch;
        this.epochs = epochs;
        this.blocksPerRound = blocksPerRound;
        this.pace = pace;
        this.startNanos = pace.nanoTime();
        this.roundEndNanos = startNanos;
        this.lineNanos = startNanos;
    }

    /** A round that trained {@code roundImages} images at mean {@code bpd} ended; {@code now} is the epoch since. */
    void roundDone(EpochProgress now, long roundImages, double bpd, long iteration) {
        long nanos = pace.nanoTime();
        pace.roundDone((nanos - roundEndNanos) / 1e9, roundImages);
        roundEndNanos = nanos;
        images += roundImages;
        if (nanos - lineNanos < LINE_INTERVAL.toNanos()) {
            return;
        }
        lineNanos = nanos;
        long roundsLeft = rounds(now.blocks() - now.blocksDone());
        double epochSeconds = pace.secondsFor(roundsLeft, 1);
        double runSeconds = pace.secondsFor(roundsLeft + (epochs - epoch - 1) * rounds(now.blocks()), epochs - epoch);
        double imagesPerSecond = images / Math.max(1e-9, (nanos - startNanos) / 1e9);
        log.info(String.format("epoch %d/%d blocks %d/%d  iteration %d  %.1f images/s  train bpd %.4f  run ETA %s "
                        + "(epoch %s)", epoch + 1, epochs, now.blocksDone(), now.blocks(), iteration, imagesPerSecond, bpd,
                format(runSeconds), format(epochSeconds)));
    }

    private long rounds(int blocks) {
        return (blocks + blocksPerRound - 1) / blocksPerRound;
    }

    private static String format(double seconds) {
        Duration d = Duration.ofSeconds(Math.round(seconds));
        return String.format("%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
    }
}
