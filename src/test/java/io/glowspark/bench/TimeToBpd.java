package io.glowspark.bench;

import io.glowspark.checkpoint.CheckpointMetadata;
import io.glowspark.checkpoint.EpochMetrics;
import io.glowspark.inspect.LineChart;
import io.glowspark.inspect.RunReader;
import io.glowspark.inspect.TestSet;
import io.glowspark.inspect.TrainedGlow;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Time to quality of a training run: the test bits/dim of each checkpoint's Polyak average on the run's test set,
 * oldest first, with the training images and training seconds it took, and the first checkpoint at or below a
 * threshold. Training seconds are the round times of the epochs before the checkpoint (metrics.jsonl) plus those of
 * its own epoch so far: Spark's start-up, the ActNorm initialization and test scoring are not in them. Checkpoints are
 * the only points measured, so the time printed is an upper bound as fine as the run's checkpoint interval.
 * Prints its figures, and draws them (test bits/dim against training seconds) into a PNG when given one; asserts
 * nothing.
 *
 * <p>Usage: TimeToBpd run-dir [threshold=2.0] [curve.png]
 */
public final class TimeToBpd {

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: TimeToBpd run-dir [threshold=2.0] [curve.png]");
        }
        double threshold = args.length > 1 ? Double.parseDouble(args[1]) : 2.0;
        RunReader run = RunReader.open(args[0]);
        List<EpochMetrics> epochs = run.metrics();
        TestSet test = run.testSet();
        System.out.printf("%s: test bits/dim of each checkpoint on %d test images, threshold %.3f%n",
                run.uri(), test.count(), threshold);
        String reached = null;
        List<double[]> points = new ArrayList<>();
        for (String name : run.checkpointNames()) {
            TrainedGlow model = run.load(name);
            CheckpointMetadata meta = model.metadata();
            double seconds = trainingSecondsBefore(epochs, meta.epoch()) + meta.progress().seconds();
            double bpd = test.bitsPerDim(model);
            String line = String.format("%s  epoch %2d  %8d images  %7.1f s training  test bpd %.4f",
                    name, meta.epoch(), meta.imagesSeen(), seconds, bpd);
            System.out.println(line);
            points.add(new double[] {seconds, bpd});
            if (reached == null && bpd <= threshold) {
                reached = line;
            }
        }
        System.out.println(reached == null ? "RESULT threshold " + threshold + " not reached"
                : "RESULT threshold " + threshold + " first reached at " + reached);
        if (args.length > 2) {
            LineChart chart = new LineChart("test bits/dim of the checkpoints of " + run.uri(), "training seconds")
                    .series("test bpd", points.stream().mapToDouble(p -> p[0]).toArray(),
                            points.stream().mapToDouble(p -> p[1]).toArray())
                    .series("threshold", new double[] {0, points.get(points.size() - 1)[0]},
                            new double[] {threshold, threshold});
            Files.write(Path.of(args[2]), chart.png());
        }
    }

    private static double trainingSecondsBefore(List<EpochMetrics> epochs, int epoch) {
        return epochs.stream().filter(m -> m.epoch() >= 1 && m.epoch() <= epoch).mapToDouble(EpochMetrics::seconds).sum();
    }
}
