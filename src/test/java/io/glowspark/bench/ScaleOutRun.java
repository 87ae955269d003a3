package io.glowspark.bench;

import java.util.Locale;

/**
 * One finished run of the scale-out grid: its settings, the training images, training seconds and the run's own
 * final test bits/dim (metrics.jsonl), the number of checkpoints scored, and the machine's 1-minute load average
 * before and after the run. One line of the grid's runs CSV, written and read here only.
 */
record ScaleOutRun(int workers, int averagingFrequency, int batchPerWorker, long parameters, long images,
                   double trainingSeconds, double finalTestBpd, int checkpoints, double loadBefore, double loadAfter) {

    static final String HEADER = "workers,averaging_frequency,batch_per_worker,parameters,images,training_seconds,"
            + "final_test_bpd,checkpoints,load_before,load_after";

    String csvLine() {
        return String.format(Locale.ROOT, "%d,%d,%d,%d,%d,%.1f,%.4f,%d,%.2f,%.2f", workers, averagingFrequency,
                batchPerWorker, parameters, images, trainingSeconds, finalTestBpd, checkpoints, loadBefore, loadAfter);
    }

    static ScaleOutRun parse(String line) {
        String[] f = Csv.fields(line, 10);
        return new ScaleOutRun(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                Long.parseLong(f[3]), Long.parseLong(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6]),
                Integer.parseInt(f[7]), Double.parseDouble(f[8]), Double.parseDouble(f[9]));
    }

    double imagesPerSecond() {
        return images / trainingSeconds;
    }
}
