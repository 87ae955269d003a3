package io.glowspark.bench;

import java.util.Locale;

/**
 * One checkpoint of one run of the scale-out grid: the run's workers, averaging frequency, per-worker batch and peak
 * learning rate, the checkpoint's training images and seconds, and its test bits/dim. One line of the grid's curve CSV, written and read
 * here only.
 */
record ScaleOutPoint(int workers, int averagingFrequency, int batchPerWorker, double learningRate,
                     String checkpoint, int epoch, long images, double trainingSeconds, double testBpd) {

    static final String HEADER = "workers,averaging_frequency,batch_per_worker,learning_rate,checkpoint,epoch,images,"
            + "training_seconds,test_bpd";

    String csvLine() {
        return String.format(Locale.ROOT, "%d,%d,%d,%s,%s,%d,%d,%.1f,%.4f", workers, averagingFrequency,
                batchPerWorker, learningRate, checkpoint, epoch, images, trainingSeconds, testBpd);
    }

    static ScaleOutPoint parse(String line) {
        String[] f = Csv.fields(line, 9);
        return new ScaleOutPoint(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                Double.parseDouble(f[3]), f[4], Integer.parseInt(f[5]), Long.parseLong(f[6]),
                Double.parseDouble(f[7]), Double.parseDouble(f[8]));
    }
}
