package io.glowspark.bench;

import java.util.Locale;

/**
 * One finished run of the scale-out grid: its settings (workers, averaging frequency, per-worker batch, peak learning
 * rate), its parameter count, the training images, training seconds and the run's own
 * final test bits/dim (metrics.jsonl), the number of checkpoints scored, and the machine's 1-minute load average
 * before and after the run. One line of the grid's runs CSV, written and read here only.
 */
record ScaleOutRun(int workers, int averagingFrequency, int batchPerWorker, double learningRate, long parameters,
                   long images, double trainingSeconds, double finalTestBpd, int checkpoints, double loadBefore,
                   double loadAfter) {

    static final String HEADER = "workers,averaging_frequency,batch_per_worker,learning_rate,parameters,images,"
            + "training_seconds,final_test_bpd,checkpoints,load_before,load_after";

    String csvLine() {
        return String.format(Locale.ROOT, "%d,%d,%d,%s,%d,%d,%.1f,%.4f,%d,%.2f,%.2f", workers, averagingFrequency,
                batchPerWorker, learningRate, parameters, images, trainingSeconds, finalTestBpd, checkpoints,
                loadBefore, loadAfter);
    }

    static ScaleOutRun parse(String line) {
        String[] f = Csv.fields(line, 11);
        return new ScaleOutRun(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                Double.parseDouble(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5]), Double.parseDouble(f[6]),
                Double.parseDouble(f[7]), Integer.parseInt(f[8]), Double.parseDouble(f[9]), Double.parseDouble(f[10]));
    }

    double imagesPerSecond() {
        return images / trainingSeconds;
    }
}
