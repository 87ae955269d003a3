package io.glowspark.bench;

import java.util.Locale;

/**
 * The median cost of an averaging round with W executors and a model of P parameters, each worker taking
 * {@code frequency} steps of {@code batch} images per round, and the bytes that crossed the network per round. Times
 * in milliseconds: the round (one round's job start to the next's), job start to the first task's launch, the tasks'
 * span (first launch to last end), a task's run time on its executor, the last task's end to the job's end (results
 * in and merged on the driver), and the driver's work between two round jobs; the shortest round; the CPU time the
 * driver's process used per round, and a task's CPU time on its executor (deserialization included). On a loaded
 * machine the wall times grow with the load, the CPU times hardly. One line of the round-cost CSV, written and read
 * here only.
 */
record RoundCost(int workers, int stepsPerLevel, int hiddenChannels, long parameters, int batch, int frequency,
                 int rounds, double roundMillis, double minRoundMillis, double driverCpuMillis, double taskCpuMillis,
                 double launchMillis, double tasksMillis, double taskRunMillis, double resultsMillis,
                 double driverMillis, int stages, long resultBytesToDriver, long resultBytesPerTask,
                 long shuffleBytes, double loadBefore, double loadAfter) {

    static final String HEADER = "workers,steps_per_level,hidden_channels,parameters,batch,frequency,rounds,round_ms,"
            + "min_round_ms,driver_cpu_ms,task_cpu_ms,launch_ms,tasks_ms,task_run_ms,results_ms,driver_ms,stages,"
            + "result_bytes_to_driver,result_bytes_per_task,shuffle_bytes,load_before,load_after";

    String csvLine() {
        return String.format(Locale.ROOT, "%d,%d,%d,%d,%d,%d,%d,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%d,%d,%d,%d,"
                        + "%.2f,%.2f", workers, stepsPerLevel, hiddenChannels, parameters, batch, frequency, rounds,
                roundMillis, minRoundMillis, driverCpuMillis, taskCpuMillis, launchMillis, tasksMillis, taskRunMillis,
                resultsMillis, driverMillis, stages, resultBytesToDriver, resultBytesPerTask, shuffleBytes, loadBefore,
                loadAfter);
    }

    static RoundCost parse(String line) {
        String[] f = Csv.fields(line, 22);
        return new RoundCost(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                Long.parseLong(f[3]), Integer.parseInt(f[4]), Integer.parseInt(f[5]), Integer.parseInt(f[6]),
                Double.parseDouble(f[7]), Double.parseDouble(f[8]), Double.parseDouble(f[9]),
                Double.parseDouble(f[10]), Double.parseDouble(f[11]), Double.parseDouble(f[12]),
                Double.parseDouble(f[13]), Double.parseDouble(f[14]), Double.parseDouble(f[15]),
                Integer.parseInt(f[16]), Long.parseLong(f[17]), Long.parseLong(f[18]), Long.parseLong(f[19]),
                Double.parseDouble(f[20]), Double.parseDouble(f[21]));
    }
}
