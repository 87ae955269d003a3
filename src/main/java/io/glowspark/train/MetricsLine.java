package io.glowspark.train;

import java.util.Locale;

/** One epoch's line of the run's metrics.jsonl, the file the notebooks plot. Unknown values are written as null. */
record MetricsLine(int epoch, long iteration, long imagesSeen, double trainBpd, double testBpd,
                   double imagesPerSecond, double seconds, double learningRate) {

    String toJson() {
        return String.format(Locale.ROOT,
                "{\"epoch\":%d,\"iteration\":%d,\"images_seen\":%d,\"train_bpd\":%s,\"test_bpd\":%s,"
                        + "\"images_per_sec\":%s,\"seconds\":%s,\"learning_rate\":%s}",
                epoch, iteration, imagesSeen, number(trainBpd), number(testBpd), number(imagesPerSecond),
                number(seconds), number(learningRate));
    }

    private static String number(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "null";
    }
}
