package io.glowspark.bench;

import io.glowspark.checkpoint.EpochMetrics;
import io.glowspark.config.Settings;
import io.glowspark.flow.Parameter;
import io.glowspark.inspect.RunReader;
import io.glowspark.inspect.TestSet;
import io.glowspark.train.Nd4jThreads;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Records one finished run of the scale-out grid (submit/scale-out-grid.sh): every checkpoint not recorded yet,
 * scored on the run's test set (as {@link TimeToBpd} does), is appended to the curve CSV, and the run itself to the
 * runs CSV. Prints what it appends.
 *
 * <p>Usage: ScaleOutCurve run-dir curve.csv runs.csv load-before
 */
public final class ScaleOutCurve {

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: ScaleOutCurve run-dir curve.csv runs.csv load-before");
        }
        Nd4jThreads.use(1);
        RunReader run = RunReader.open(args[0]);
        Settings s = run.settings();
        int workers = s.spark().workers();
        int frequency = s.spark().averagingFrequency();
        int batch = s.train().batchSizePerWorker();
        double learningRate = s.train().learningRate();
        List<EpochMetrics> epochs = run.metrics();
        TestSet test = run.testSet();
        Path curve = Path.of(args[1]);
        Set<String> recorded = Files.exists(curve) ? Csv.read(curve, ScaleOutPoint.HEADER, ScaleOutPoint::parse)
                .stream().filter(p -> p.workers() == workers && p.averagingFrequency() == frequency
                        && p.learningRate() == learningRate)
                .map(ScaleOutPoint::checkpoint).collect(Collectors.toSet()) : Set.of();
        List<TimeToBpd.Score> scores = TimeToBpd.scores(run, test, epochs, name -> !recorded.contains(name));
        List<String> lines = scores.stream().map(c -> new ScaleOutPoint(workers, frequency, batch, learningRate,
                c.checkpoint(), c.epoch(), c.images(), c.trainingSeconds(), c.testBpd()).csvLine()).toList();
        Csv.append(curve, ScaleOutPoint.HEADER, lines);
        lines.forEach(System.out::println);

        EpochMetrics last = epochs.get(epochs.size() - 1);
        double seconds = epochs.stream().filter(m -> m.epoch() >= 1).mapToDouble(EpochMetrics::seconds).sum();
        String line = new ScaleOutRun(workers, frequency, batch, learningRate, parameters(run), last.imagesSeen(),
                seconds, last.testBpd(), recorded.size() + scores.size(), Double.parseDouble(args[3]), loadAverage())
                .csvLine();
        Csv.append(Path.of(args[2]), ScaleOutRun.HEADER, List.of(line));
        System.out.println(line);
    }

    /** The parameters of the run's newest checkpoint, trained and fixed: what every round broadcasts. */
    static long parameters(RunReader run) throws IOException {
        return run.latest().glow().parameters().stream().mapToLong(Parameter::length).sum();
    }

    /** The machine's load average over the last minute. */
    static double loadAverage() throws IOException {
        return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    }
}
