package io.glowspark.bench;

import java.util.Locale;

/**
 * One checkpoint of one run of the scale-out grid: the run's workers, averaging frequency and per-worker batch, the
 * checkpoint's training images and seconds, and its test bits/dim. One line of the grid's curve CSV, written and read
 * here only.
 */
record ScaleOutPoint(int workers, int averagingFrequency, int batchPerWorker, String checkpoint, int epoch,
                     long images, double trainingSeconds, double testBpd) {

    static final String HEADER =
            "workers,averaging_frequency,batch_per_worker,checkpoint,epoch,images,training_seconds,test_bpd";

    String csvLine() {
        return String.format(Locale.ROOT, "%d,%d,%d,%s,%d,%d,%.1f,%.4f", workers, averagingFrequency, batchPerWorker,
                checkpoint, epoch, images, trainingSeconds, testBpd);
    }

    static ScaleOutPoint parse(String line) {
        String[] f = Csv.fields(line, 8);
        return new ScaleOutPoint(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]), f[3],
                Integer.parseInt(f[4]), Long.parseLong(f[5]), Double.parseDouble(f[6]), Double.parseDouble(f[7]));
    }
}
