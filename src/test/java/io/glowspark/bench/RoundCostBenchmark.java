package io.glowspark.bench;

import io.glowspark.config.Settings;
import io.glowspark.data.MnistTestFiles;
import io.glowspark.inspect.RunReader;
import io.glowspark.testing.StandaloneCluster;
import io.glowspark.train.GlowTrainer;
import io.glowspark.train.KryoRegistrator;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * What an averaging round costs beyond the workers' compute, as a function of the number of executors W and the
 * parameter count P, on a real multi-JVM Spark standalone cluster ({@link StandaloneCluster}: a Master and Workers of
 * one core each on 127.0.0.1). For each W, one application with W executors trains one short epoch of each model
 * with GlowTrainer, by default every worker taking one step of 2 images per round, so that the round is almost all
 * overhead:
 * the broadcast of parameters and optimizer state, job launch, the tasks' results (the same 12 bytes per parameter
 * back from every worker) and their tree aggregation, and the driver's work between rounds. {@link RoundTimes} takes
 * the timeline from Spark's listener events; the medians over the rounds after the first two (which build the
 * replicas) are appended to the CSV, one line per (W, model), and printed.
 *
 * <p>Usage: RoundCostBenchmark out.csv [workers=1,2,4,8] [models=4x64,8x128,8x256] [rounds=12] [batch=2]
 * [frequency=1] (a model is steps-per-level x hidden-channels, 2 levels). A larger batch and frequency give rounds
 * with real compute, to check a model of the round's time against. Every executor has a heap of 512m. On 2 cores
 * the W executors share the machine: a round's tasks run at most two at a time.
 */
public final class RoundCostBenchmark {

    private static final int WARM_UP_ROUNDS = 2;

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: RoundCostBenchmark out.csv [workers=1,2,4,8] "
                    + "[models=4x64,8x128,8x256] [rounds=12] [batch=2] [frequency=1]");
        }
        Path csv = Path.of(args[0]);
        int[] workers = Arrays.stream((args.length > 1 ? args[1] : "1,2,4,8").split(","))
                .mapToInt(Integer::parseInt).toArray();
        List<int[]> models = Arrays.stream((args.length > 2 ? args[2] : "4x64,8x128,8x256").split(","))
                .map(m -> Arrays.stream(m.split("x")).mapToInt(Integer::parseInt).toArray()).toList();
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 12;
        int batch = args.length > 4 ? Integer.parseInt(args[4]) : 2;
        int frequency = args.length > 5 ? Integer.parseInt(args[5]) : 1;
        Path runs = Files.createTempDirectory(Path.of("target"), "round-cost-runs");
        String mnist = MnistTestFiles.dir().toUri().toString();
        try (StandaloneCluster cluster = StandaloneCluster.start(Arrays.stream(workers).max().orElseThrow(), 1,
                Duration.ofMinutes(10))) {
            for (int w : workers) {
                SparkConf conf = cluster.driverConf("round-cost-" + w)
                        .set("spark.cores.max", String.valueOf(w))
                        .set("spark.executor.memory", "512m")
                        // as GlowSparkMain sets them for the job
                        .set("spark.task.maxDirectResultSize", "128m")
                        .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                        .set("spark.kryo.registrator", KryoRegistrator.class.getName());
                try (JavaSparkContext sc = new JavaSparkContext(conf)) {
                    cluster.awaitExecutors(sc, w, Duration.ofMinutes(10));
                    RoundTimes times = new RoundTimes();
                    sc.sc().addSparkListener(times);
                    for (int[] model : models) {
                        double loadBefore = ScaleOutCurve.loadAverage();
                        String runDir = runs.resolve("w" + w + "-" + model[0] + "x" + model[1]).toUri().toString();
                        Settings settings = Settings.load(Optional.empty(), List.of(
                                "run.dir=" + runDir, "data.dir=" + mnist,
                                "data.train-limit=" + batch * frequency * w * (rounds + WARM_UP_ROUNDS + 1),
                                "data.test-limit=" + 4 * w, "model.levels=2", "model.steps-per-level=" + model[0],
                                "model.hidden-channels=" + model[1], "train.batch-size-per-worker=" + batch,
                                "train.init-batch-size=16", "spark.workers=" + w,
                                "spark.averaging-frequency=" + frequency, "checkpoint.every-minutes=0"));
                        times.clear();
                        new GlowTrainer(settings, sc).run();
                        Thread.sleep(2000); // the listener bus delivers the last events asynchronously
                        long parameters = ScaleOutCurve.parameters(RunReader.open(runDir));
                        RoundCost cost = summarize(w, model, batch, frequency, parameters, times.rounds(), loadBefore,
                                ScaleOutCurve.loadAverage());
                        Csv.append(csv, RoundCost.HEADER, List.of(cost.csvLine()));
                        System.out.println(cost.csvLine());
                    }
                }
            }
        }
    }

    private static RoundCost summarize(int workers, int[] model, int batch, int frequency, long parameters,
                                       List<RoundTimes.Round> all, double loadBefore, double loadAfter) {
        // the last round has no next round to measure its period against
        List<RoundTimes.Round> measured = all.subList(Math.min(WARM_UP_ROUNDS, all.size()),
                Math.max(WARM_UP_ROUNDS, all.size() - 1));
        if (measured.isEmpty()) {
            throw new IllegalStateException("no training rounds measured for W=" + workers + ", model "
                    + model[0] + "x" + model[1] + ": " + all.size() + " round jobs seen");
        }
        double[] periods = new double[measured.size()];
        double[] driver = new double[measured.size()];
        double[] driverCpu = new double[measured.size()];
        for (int i = 0; i < measured.size(); i++) {
            RoundTimes.Round round = measured.get(i);
            RoundTimes.Round next = all.get(all.indexOf(round) + 1);
            periods[i] = next.startMillis() - round.startMillis();
            driver[i] = next.startMillis() - round.endMillis();
            driverCpu[i] = next.driverCpuMillisAtStart() - round.driverCpuMillisAtStart();
        }
        RoundTimes.Round typical = measured.get(measured.size() / 2);
        return new RoundCost(workers, model[0], model[1], parameters, batch, frequency, measured.size(),
                median(periods), Arrays.stream(periods).min().orElseThrow(), median(driverCpu),
                median(measured, RoundTimes.Round::meanTaskCpuMillis), median(measured, RoundTimes.Round::launchMillis),
                median(measured, RoundTimes.Round::tasksSpanMillis),
                median(measured, r -> r.tasks().stream().mapToLong(RoundTimes.Task::runMillis).average().orElse(0)),
                median(measured, RoundTimes.Round::resultsMillis), median(driver), typical.stages(),
                typical.resultBytesToDriver(), typical.maxResultBytesPerTask(), typical.shuffleBytes(),
                loadBefore, loadAfter);
    }

    private static double median(List<RoundTimes.Round> rounds, ToDoubleFunction<RoundTimes.Round> value) {
        return median(rounds.stream().mapToDouble(value).toArray());
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
