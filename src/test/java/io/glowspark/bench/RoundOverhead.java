package io.glowspark.bench;

import java.util.List;

/**
 * A model of the time an averaging round costs beyond the workers' own steps, fitted to the round-cost benchmark's
 * rounds of tiny compute ({@link RoundCost}), in milliseconds. It is built from CPU times, which the load of other
 * processes hardly changes, and the rounds' shortest wall times:
 * <ul>
 *   <li>the driver's CPU per round, which serves W workers (broadcast, job launch, taking in and merging results,
 *   its own work between rounds): {@code a + b W + c P + d W P}, P in millions of parameters;</li>
 *   <li>one task's CPU on its executor, in parallel with the others on a cluster (deserialization, broadcast fetch,
 *   the replica set to the round's parameters, the tiny step, the result serialized): {@code e + g P};</li>
 *   <li>the round's wait that is neither: the shortest W=1 round less the two CPU times, at least 0;</li>
 *   <li>on the network of a real cluster, not seen over loopback: the round's bytes (12 per parameter: parameters
 *   and Adam's two moments) through the driver's link, once out as the broadcast and once in from each task of the
 *   aggregation's last stage, plus one exchange between executors when the tree aggregation adds a stage, at
 *   {@code bandwidth} bytes/s.</li>
 * </ul>
 */
record RoundOverhead(double[] driver, double[] task, double waitMillis, double bandwidthBytesPerSecond) {

    static final double BYTES_PER_PARAMETER = 12;

    static RoundOverhead fit(List<RoundCost> rows, double bandwidthBytesPerSecond) {
        double[][] x = new double[rows.size()][];
        double[][] xTask = new double[rows.size()][];
        double[] driverCpu = new double[rows.size()];
        double[] taskCpu = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            RoundCost r = rows.get(i);
            double p = millions(r.parameters());
            x[i] = new double[] {1, r.workers(), p, r.workers() * p};
            xTask[i] = new double[] {1, p};
            driverCpu[i] = r.driverCpuMillis();
            taskCpu[i] = r.taskCpuMillis();
        }
        double[] driver = LeastSquares.fit(x, driverCpu);
        double[] task = LeastSquares.fit(xTask, taskCpu);
        double wait = rows.stream().filter(r -> r.workers() == 1)
                .mapToDouble(r -> r.minRoundMillis() - r.driverCpuMillis() - r.taskCpuMillis()).min().orElse(0);
        return new RoundOverhead(driver, task, Math.max(0, wait), bandwidthBytesPerSecond);
    }

    double driverMillis(double workers, long parameters) {
        double p = millions(parameters);
        return driver[0] + driver[1] * workers + driver[2] * p + driver[3] * workers * p;
    }

    double taskMillis(long parameters) {
        return task[0] + task[1] * millions(parameters);
    }

    /** The round's bytes through the driver's link and one exchange between executors, at the bandwidth. */
    double networkMillis(int workers, long parameters) {
        int last = TreeAggregation.lastStageTasks(workers);
        int exchanges = last < workers ? 1 : 0;
        return 1000 * BYTES_PER_PARAMETER * parameters * (1 + last + exchanges) / bandwidthBytesPerSecond;
    }

    /** A round's overhead on a cluster whose executors each have their own cores. */
    double clusterMillis(int workers, long parameters) {
        return driverMillis(workers, parameters) + taskMillis(parameters) + waitMillis
                + networkMillis(workers, parameters);
    }

    private static double millions(long parameters) {
        return parameters / 1e6;
    }
}
