package io.glowspark.bench;

import io.glowspark.inspect.LineChart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.stream.IntStream;

/**
 * The scale-out measurements as Markdown tables (printed) and PNG plots: the grid's test bits/dim and images to a
 * threshold ({@link StatisticalEfficiency}) at the grid's learning rate (its first W=1 run's) and, beside them, the
 * runs at other learning rates, the round costs on the standalone cluster and their fit ({@link RoundOverhead}), the
 * check of that fit against rounds with real compute, and the wall-time model's predictions ({@link WallTimeModel})
 * for 8, 32 and 128 executors.
 *
 * <p>Usage: ScaleOutReport grid-dir round-cost.csv check.csv png-dir threshold
 * <br>round-cost.csv: RoundCostBenchmark with tiny compute; check.csv: RoundCostBenchmark with real steps, for each
 * model a W=1 row, which calibrates the model's compute per image, and rows of more executors, which are predicted.
 * The predictions apply the images to the threshold measured with the grid's model to every model.
 */
public final class ScaleOutReport {

    private static final int[] GRID_WORKERS = {1, 2, 4, 8, 16};
    private static final int[] GRID_FREQUENCIES = {5, 10, 20};
    private static final long EPOCH = 60_000;
    private static final int[] EXECUTORS = {8, 32, 128};
    private static final int[] CORES = {1, 4};
    private static final double TEN_GBIT = 1.25e9;

    private final Path pngDir;
    private final double threshold;
    private final List<ScaleOutPoint> curve;
    private final List<ScaleOutRun> runs;
    private final double gridRate;

    private ScaleOutReport(Path grid, Path pngDir, double threshold) throws IOException {
        this.pngDir = pngDir;
        this.threshold = threshold;
        this.curve = Csv.read(grid.resolve("curve.csv"), ScaleOutPoint.HEADER, ScaleOutPoint::parse);
        this.runs = Csv.read(grid.resolve("runs.csv"), ScaleOutRun.HEADER, ScaleOutRun::parse);
        this.gridRate = runs.stream().filter(r -> r.workers() == 1).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(grid + ": no run of one worker")).learningRate();
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            throw new IllegalArgumentException("usage: ScaleOutReport grid-dir round-cost.csv check.csv png-dir "
                    + "threshold");
        }
        Path pngDir = Files.createDirectories(Path.of(args[3]));
        ScaleOutReport report = new ScaleOutReport(Path.of(args[0]), pngDir, Double.parseDouble(args[4]));
        List<RoundCost> costs = Csv.read(Path.of(args[1]), RoundCost.HEADER, RoundCost::parse);
        List<RoundCost> check = Csv.read(Path.of(args[2]), RoundCost.HEADER, RoundCost::parse);
        report.runsTable();
        report.bitsPerDimTable();
        StatisticalEfficiency.ImagesModel images = report.imagesToThreshold();
        report.learningRates();
        RoundOverhead overhead = RoundOverhead.fit(costs, TEN_GBIT);
        report.roundCosts(costs, overhead);
        report.predictions(images, overhead, report.check(check, overhead));
    }

    private void runsTable() {
        header("W", "f", "W x B", "learning rate", "images", "training s", "images/s", "test bpd",
                "load before / after");
        for (ScaleOutRun r : runs) {
            System.out.printf(Locale.ROOT, "| %d | %d | %d | %s | %d | %.0f | %.1f | %.4f | %.2f / %.2f |%n",
                    r.workers(), r.averagingFrequency(), r.workers() * r.batchPerWorker(), r.learningRate(),
                    r.images(), r.trainingSeconds(), r.imagesPerSecond(), r.finalTestBpd(), r.loadBefore(),
                    r.loadAfter());
        }
        System.out.println();
    }

    /** A run at the grid's learning rate. */
    private StatisticalEfficiency.Curve curve(int workers, int frequency) {
        // one replica averages nothing: its run at f=20 stands for every f
        return StatisticalEfficiency.Curve.of(curve, workers, workers == 1 ? 20 : frequency, gridRate);
    }

    private void bitsPerDimTable() throws IOException {
        System.out.println("Test bits/dim after 60,000 training images (f=20: also after 180,000)");
        System.out.println();
        header("W", "W x B", "f=5", "f=10", "f=20", "f=20, 180,000 images");
        LineChart chart = new LineChart("test bits/dim after 60,000 training images", "log2 of workers W");
        for (int f : GRID_FREQUENCIES) {
            chart.series("f=" + f, log2(GRID_WORKERS), IntStream.of(GRID_WORKERS)
                    .mapToDouble(w -> curve(w, f).bpdAfter(EPOCH).orElse(Double.NaN)).toArray());
        }
        chart.series("f=20, 180,000", log2(GRID_WORKERS), IntStream.of(GRID_WORKERS)
                .mapToDouble(w -> curve(w, 20).bpdAfter(3 * EPOCH).orElse(Double.NaN)).toArray());
        for (int w : GRID_WORKERS) {
            StringBuilder row = new StringBuilder(String.format("| %d | %d |", w, w * batch()));
            for (int f : GRID_FREQUENCIES) {
                row.append(cell(curve(w, f).bpdAfter(EPOCH), "%.4f"));
            }
            row.append(cell(curve(w, 20).bpdAfter(3 * EPOCH), "%.4f"));
            System.out.println(row);
        }
        System.out.println();
        Files.write(pngDir.resolve("scale-out-bpd-after-60k.png"), chart.png());

        LineChart curves = new LineChart("test bits/dim, f=20", "training images");
        for (int w : new int[] {1, 4, 8, 16}) {
            List<ScaleOutPoint> points = curve(w, 20).points();
            curves.series("W=" + w, points.stream().mapToDouble(ScaleOutPoint::images).toArray(),
                    points.stream().mapToDouble(ScaleOutPoint::testBpd).toArray());
        }
        Files.write(pngDir.resolve("scale-out-curves-f20.png"), curves.png());

        LineChart steps = new LineChart("test bits/dim, f=20", "averaged steps (training images / (W x B))");
        for (int w : new int[] {1, 4, 8, 16}) {
            List<ScaleOutPoint> points = curve(w, 20).points();
            steps.series("W=" + w, points.stream().mapToDouble(p -> (double) p.images() / (w * batch())).toArray(),
                    points.stream().mapToDouble(ScaleOutPoint::testBpd).toArray());
        }
        Files.write(pngDir.resolve("scale-out-curves-f20-by-steps.png"), steps.png());
    }

    /** The table of images to the threshold per W and f, and the fit of I(W) at f=20, which it returns. */
    private StatisticalEfficiency.ImagesModel imagesToThreshold() throws IOException {
        System.out.printf(Locale.ROOT, "Training images to test bits/dim %.2f (between checkpoints: linear), and "
                + "statistical efficiency I(1) / I(W)%n%n", threshold);
        header("W", "W x B", "f=5", "f=10", "f=20", "efficiency f=5", "f=10", "f=20");
        double reference = curve(1, 20).imagesTo(threshold).orElse(Double.NaN);
        for (int w : GRID_WORKERS) {
            StringBuilder row = new StringBuilder(String.format("| %d | %d |", w, w * batch()));
            for (int f : GRID_FREQUENCIES) {
                row.append(cell(curve(w, f).imagesTo(threshold), "%.0f"));
            }
            for (int f : GRID_FREQUENCIES) {
                OptionalDouble images = curve(w, f).imagesTo(threshold);
                row.append(cell(images.isPresent() ? OptionalDouble.of(reference / images.getAsDouble())
                        : OptionalDouble.empty(), "%.2f"));
            }
            System.out.println(row);
        }
        System.out.println();

        LineChart chart = new LineChart(String.format(Locale.ROOT, "training images to test bpd %.2f", threshold),
                "log2 of workers W");
        StatisticalEfficiency.ImagesModel model20 = null;
        for (int f : GRID_FREQUENCIES) {
            List<Integer> reached = IntStream.of(GRID_WORKERS).filter(w -> curve(w, f).imagesTo(threshold).isPresent())
                    .boxed().toList();
            double[] w = reached.stream().mapToDouble(Integer::doubleValue).toArray();
            double[] images = reached.stream().mapToDouble(x -> curve(x, f).imagesTo(threshold).getAsDouble())
                    .toArray();
            chart.series("f=" + f, log2(reached.stream().mapToInt(Integer::intValue).toArray()), images);
            if (reached.size() >= 2) {
                StatisticalEfficiency.ImagesModel model = StatisticalEfficiency.ImagesModel.fit(batch(), w, images);
                System.out.printf(Locale.ROOT, "f=%d: I(W) = %.0f (1 + W x %d / %.0f) over W = %s%n", f,
                        model.minImages(), batch(), model.criticalBatch(), reached);
                if (f == 20) {
                    model20 = model;
                }
            }
        }
        System.out.println();
        if (model20 == null) {
            throw new IllegalStateException("fewer than two runs at f=20 reached " + threshold);
        }
        StatisticalEfficiency.ImagesModel fitted = model20;
        chart.series("fit, f=20", log2(GRID_WORKERS),
                IntStream.of(GRID_WORKERS).mapToDouble(fitted::images).toArray());
        Files.write(pngDir.resolve("scale-out-images-to-threshold.png"), chart.png());
        return model20;
    }

    /**
     * The runs at learning rates other than the grid's, each beside the run of the same W and f at the grid's rate:
     * test bits/dim after one epoch, images to the threshold and I(1) / I, and for each W and f a plot of the curves.
     */
    private void learningRates() throws IOException {
        List<StatisticalEfficiency.Curve> raised = runs.stream().filter(r -> r.learningRate() != gridRate)
                .map(r -> StatisticalEfficiency.Curve.of(curve, r.workers(), r.averagingFrequency(),
                        r.learningRate()))
                .distinct().sorted(Comparator.comparingInt(StatisticalEfficiency.Curve::workers)
                        .thenComparingInt(StatisticalEfficiency.Curve::averagingFrequency)
                        .thenComparingDouble(StatisticalEfficiency.Curve::learningRate)).toList();
        if (raised.isEmpty()) {
            return;
        }
        System.out.printf(Locale.ROOT, "Learning rates other than the grid's %s, beside the grid's run of the same W "
                + "and f: test bits/dim after 60,000 images, images to %.2f and I(1) / I%n%n", gridRate, threshold);
        header("W", "f", "W x B", "learning rate", "x grid's", "test bpd after 60,000", "images to threshold",
                "efficiency");
        double reference = curve(1, 20).imagesTo(threshold).orElse(Double.NaN);
        Map<String, List<StatisticalEfficiency.Curve>> byRun = new LinkedHashMap<>();
        for (StatisticalEfficiency.Curve c : raised) {
            List<StatisticalEfficiency.Curve> group = byRun.computeIfAbsent(
                    "w" + c.workers() + "-f" + c.averagingFrequency(),
                    k -> new ArrayList<>(List.of(curve(c.workers(), c.averagingFrequency()))));
            group.add(c);
        }
        for (Map.Entry<String, List<StatisticalEfficiency.Curve>> group : byRun.entrySet()) {
            StatisticalEfficiency.Curve first = group.getValue().get(0);
            LineChart chart = new LineChart(String.format(Locale.ROOT, "test bits/dim, W=%d, f=%d", first.workers(),
                    first.averagingFrequency()), "training images");
            for (StatisticalEfficiency.Curve c : group.getValue()) {
                OptionalDouble images = c.imagesTo(threshold);
                System.out.printf(Locale.ROOT, "| %d | %d | %d | %s | %.2f |%s%s%s%n", c.workers(),
                        c.averagingFrequency(), c.workers() * batch(), c.learningRate(), c.learningRate() / gridRate,
                        cell(c.bpdAfter(EPOCH), "%.4f"), cell(images, "%.0f"), cell(images.isPresent()
                                ? OptionalDouble.of(reference / images.getAsDouble()) : OptionalDouble.empty(),
                                "%.2f"));
                chart.series("lr=" + c.learningRate(), c.points().stream().mapToDouble(ScaleOutPoint::images)
                        .toArray(), c.points().stream().mapToDouble(ScaleOutPoint::testBpd).toArray());
            }
            Files.write(pngDir.resolve("scale-out-learning-rate-" + group.getKey() + ".png"), chart.png());
        }
        System.out.println();
    }

    private void roundCosts(List<RoundCost> costs, RoundOverhead overhead) throws IOException {
        System.out.println("Round cost on the standalone cluster, one step of 2 images per worker per round: wall "
                + "times (median and shortest round, launch, tasks' span, results, driver between rounds), CPU times "
                + "(driver per round, one task) with the fit's, in ms; MB of results into the driver and shuffled");
        System.out.println();
        header("W", "model", "P", "stages", "round", "shortest", "launch", "tasks", "results", "driver",
                "driver CPU (fit)", "task CPU (fit)", "MB to driver", "MB shuffled", "load before / after");
        for (RoundCost c : costs) {
            System.out.printf(Locale.ROOT, "| %d | %dx%d | %d | %d | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f "
                            + "| %.0f (%.0f) | %.0f (%.0f) | %.1f | %.1f | %.2f / %.2f |%n", c.workers(),
                    c.stepsPerLevel(), c.hiddenChannels(), c.parameters(), c.stages(), c.roundMillis(),
                    c.minRoundMillis(), c.launchMillis(), c.tasksMillis(), c.resultsMillis(), c.driverMillis(),
                    c.driverCpuMillis(), overhead.driverMillis(c.workers(), c.parameters()), c.taskCpuMillis(),
                    overhead.taskMillis(c.parameters()), c.resultBytesToDriver() / 1e6, c.shuffleBytes() / 1e6,
                    c.loadBefore(), c.loadAfter());
        }
        System.out.println();
        double[] d = overhead.driver();
        double[] t = overhead.task();
        System.out.printf(Locale.ROOT, "Fit, P in millions of parameters: driver CPU per round %.1f + %.1f W + %.1f P "
                + "+ %.1f W P ms; one task's CPU %.1f + %.1f P ms; the wait of a round beyond both %.0f ms.%n%n",
                d[0], d[1], d[2], d[3], t[0], t[1], overhead.waitMillis());

        LineChart chart = new LineChart("driver CPU per round on the standalone cluster (ms)", "executors W");
        List<Long> sizes = costs.stream().map(RoundCost::parameters).distinct().sorted().toList();
        for (long p : sizes) {
            List<RoundCost> rows = costs.stream().filter(c -> c.parameters() == p).toList();
            chart.series(String.format(Locale.ROOT, "P=%.2fM", p / 1e6),
                    rows.stream().mapToDouble(RoundCost::workers).toArray(),
                    rows.stream().mapToDouble(RoundCost::driverCpuMillis).toArray());
        }
        Files.write(pngDir.resolve("scale-out-driver-cpu-per-round.png"), chart.png());
    }

    /** A model of the check, with its compute per image calibrated by the check's W=1 round. */
    private record Calibrated(RoundCost one, double taskMillis, double imagesPerCoreSecond) {

        String name() {
            return one.stepsPerLevel() + "x" + one.hiddenChannels();
        }
    }

    /**
     * Rounds with real steps on the same cluster: for each model the W=1 round's task CPU calibrates a task (its
     * compute and its executor-side overhead); each round is predicted as the driver's CPU from the fit, the wait,
     * and the tasks, which run at most two at a time on this machine's 2 cores; and compared with the shortest and
     * the median measured round. Returns each model's calibration.
     */
    private List<Calibrated> check(List<RoundCost> check, RoundOverhead overhead) {
        List<Calibrated> models = check.stream().filter(c -> c.workers() == 1).map(one -> {
            double computeMillis = one.taskCpuMillis() - overhead.taskMillis(one.parameters());
            return new Calibrated(one, one.taskCpuMillis(), one.batch() * one.frequency() / (computeMillis / 1000));
        }).toList();
        System.out.println("Check: rounds with real steps on the same cluster, predicted from the W=1 round's task "
                + "CPU of each model and the fit (ms)");
        System.out.println();
        header("model", "steps x batch per round", "W", "predicted", "shortest measured", "median measured",
                "load before / after");
        for (RoundCost c : check) {
            Calibrated model = models.stream().filter(m -> m.one().parameters() == c.parameters()).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("the check has no W=1 row for " + c));
            double predicted = overhead.driverMillis(c.workers(), c.parameters()) + overhead.waitMillis()
                    + model.taskMillis() * Math.ceil(c.workers() / 2.0);
            System.out.printf(Locale.ROOT, "| %s | %d x %d | %d | %.0f | %.0f (%+.0f%%) | %.0f (%+.0f%%) "
                            + "| %.2f / %.2f |%n", model.name(), c.frequency(), c.batch(), c.workers(), predicted,
                    c.minRoundMillis(), 100 * (c.minRoundMillis() / predicted - 1), c.roundMillis(),
                    100 * (c.roundMillis() / predicted - 1), c.loadBefore(), c.loadAfter());
        }
        System.out.println();
        for (Calibrated m : models) {
            System.out.printf(Locale.ROOT, "%s (%d parameters): a task of %d steps of %d images at W=1 takes %.0f ms "
                            + "of CPU, %.0f images/s per core of compute%n", m.name(), m.one().parameters(),
                    m.one().frequency(), m.one().batch(), m.taskMillis(), m.imagesPerCoreSecond());
        }
        System.out.println();
        return models;
    }

    private void predictions(StatisticalEfficiency.ImagesModel images, RoundOverhead overhead,
                             List<Calibrated> models) throws IOException {
        System.out.printf(Locale.ROOT, "Predicted for executors of c cores (one replica per core), f=20, batch %d per "
                + "replica, 10 Gbit/s to the driver; images to bpd %.2f from the fit at f=20%n%n", batch(), threshold);
        header("model", "executors", "c", "replicas", "images/step", "epoch s", "of it overhead",
                "images to threshold", "time to threshold s", "efficiency", "without round overhead");
        LineChart chart = new LineChart("predicted efficiency to the threshold, f=20", "log2 of executors");
        for (Calibrated calibrated : models) {
            WallTimeModel model = new WallTimeModel(calibrated.imagesPerCoreSecond(), batch(), 20,
                    calibrated.one().parameters(), overhead);
            String name = calibrated.name();
            for (int c : CORES) {
                List<Double> efficiency = new ArrayList<>();
                for (int e : EXECUTORS) {
                    int n = e * c;
                    double epoch = model.seconds(EPOCH, n);
                    double needed = images.images(n);
                    efficiency.add(model.efficiency(images, n));
                    System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %d | %.1f | %.0f%% | %.0f | %.1f | %.3f "
                                    + "| %.3f |%n", name, e, c, n, n * batch(), epoch,
                            100 * model.overheadSeconds(EPOCH, n) / epoch, needed, model.seconds(needed, n),
                            efficiency.get(efficiency.size() - 1), images.images(1) / needed);
                }
                chart.series(name + ", c=" + c, log2(EXECUTORS),
                        efficiency.stream().mapToDouble(Double::doubleValue).toArray());
            }
        }
        System.out.println();
        Files.write(pngDir.resolve("scale-out-predicted-efficiency.png"), chart.png());
    }

    /** A Markdown table's header row and the line under it. */
    private static void header(String... columns) {
        System.out.println("| " + String.join(" | ", columns) + " |");
        System.out.println("|" + "---|".repeat(columns.length));
    }

    private int batch() {
        return runs.get(0).batchPerWorker();
    }

    private static String cell(OptionalDouble value, String format) {
        return value.isPresent() ? " " + String.format(Locale.ROOT, format, value.getAsDouble()) + " |" : " - |";
    }

    private static double[] log2(int[] values) {
        return IntStream.of(values).mapToDouble(v -> Math.log(v) / Math.log(2)).toArray();
    }
}
