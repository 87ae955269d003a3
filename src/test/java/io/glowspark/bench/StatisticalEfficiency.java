package io.glowspark.bench;

import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;

/**
 * What the scale-out grid's checkpoints say about parameter averaging's use of training images: a run's test
 * bits/dim after a given number of images, the images it took to reach a threshold, and a fit of those images
 * against the number of workers.
 */
final class StatisticalEfficiency {

    private StatisticalEfficiency() {
    }

    /** One run's checkpoints, fewest images first. */
    record Curve(int workers, int averagingFrequency, double learningRate, List<ScaleOutPoint> points) {

        static Curve of(List<ScaleOutPoint> all, int workers, int frequency, double learningRate) {
            List<ScaleOutPoint> mine = all.stream().filter(p -> p.workers() == workers
                            && p.averagingFrequency() == frequency && p.learningRate() == learningRate)
                    .sorted(Comparator.comparingLong(ScaleOutPoint::images)).toList();
            return new Curve(workers, frequency, learningRate, mine);
        }

        /** Test bits/dim of the checkpoint after exactly {@code images} training images, if there is one. */
        OptionalDouble bpdAfter(long images) {
            return points.stream().filter(p -> p.images() == images).mapToDouble(ScaleOutPoint::testBpd).findFirst();
        }

        /**
         * Training images until the test bits/dim first reached {@code threshold}: linear between the last
         * checkpoint above it and the first at or below it. Empty if no checkpoint reached it.
         */
        OptionalDouble imagesTo(double threshold) {
            for (int i = 0; i < points.size(); i++) {
                ScaleOutPoint p = points.get(i);
                if (p.testBpd() <= threshold) {
                    if (i == 0) {
                        return OptionalDouble.of(p.images());
                    }
                    ScaleOutPoint before = points.get(i - 1);
                    double t = (before.testBpd() - threshold) / (before.testBpd() - p.testBpd());
                    return OptionalDouble.of(before.images() + t * (p.images() - before.images()));
                }
            }
            return OptionalDouble.empty();
        }

        long maxImages() {
            return points.isEmpty() ? 0 : points.get(points.size() - 1).images();
        }
    }

    /**
     * Images to a threshold against workers W at batch B per worker, as I(W) = I_min (1 + W B / B_crit): the form
     * of the critical batch size (McCandlish et al. 2018, "An empirical model of large-batch training"), where
     * images per averaged step W B well below B_crit cost no extra images and well above it cost proportionally
     * more. Fitted by least squares of I on W.
     */
    record ImagesModel(double minImages, double criticalBatch, int batchPerWorker) {

        static ImagesModel fit(int batchPerWorker, double[] workers, double[] images) {
            double[][] x = new double[workers.length][];
            for (int i = 0; i < workers.length; i++) {
                x[i] = new double[] {1, workers[i]};
            }
            double[] b = LeastSquares.fit(x, images);
            double criticalBatch = b[1] > 0 ? b[0] * batchPerWorker / b[1] : Double.POSITIVE_INFINITY;
            return new ImagesModel(b[0], criticalBatch, batchPerWorker);
        }

        double images(double workers) {
            return minImages * (1 + workers * batchPerWorker / criticalBatch);
        }
    }
}
