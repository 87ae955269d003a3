package io.glowspark.train;

import io.glowspark.checkpoint.EpochProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/** Driver-side progress of an epoch, logged after every averaging round: blocks done, throughput, bits/dim, ETA. */
final class Progress {

    private static final Logger log = LoggerFactory.getLogger(Progress.class);

    private final int epoch;
    private final int epochs;
    private final int firstBlock;
    private final long startNanos = System.nanoTime();

    /** The epoch {@code epoch} as this run trains it, from the blocks done so far. */
    Progress(int epoch, int epochs, EpochProgress start) {
        this.epoch = epoch;
        this.epochs = epochs;
        this.firstBlock = start.blocksDone();
    }

    void roundDone(EpochProgress now, double bpd, long iteration) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        int blocksThisRun = now.blocksDone() - firstBlock;
        Duration eta = Duration.ofSeconds(Math.round(seconds / blocksThisRun * (now.blocks() - now.blocksDone())));
        log.info(String.format("epoch %d/%d blocks %d/%d  iteration %d  %.1f images/s  train bpd %.4f  epoch ETA %s",
                epoch + 1, epochs, now.blocksDone(), now.blocks(), iteration, now.imagesPerSecond(), bpd, format(eta)));
    }

    private static String format(Duration d) {
        return String.format("%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
    }
}
