package io.glowspark.bench;

/**
 * Wall time of parameter averaging with n replicas (executors x cores, one replica per core) of a model of P
 * parameters: each replica computes at {@code imagesPerCoreSecond}, and every round of {@code f} steps of {@code batch}
 * images per replica adds the round overhead. An epoch of N images takes {@code N / (n r) + ceil(N / (n B f)) o(n, P)}.
 * Time to a test bits/dim is the same with the images the model needs at n replicas ({@link
 * StatisticalEfficiency.ImagesModel}) in place of N; efficiency is the speed-up over one replica divided by n.
 */
record WallTimeModel(double imagesPerCoreSecond, int batch, int frequency, long parameters, RoundOverhead overhead) {

    double computeSeconds(double images, int replicas) {
        return images / (replicas * imagesPerCoreSecond);
    }

    double rounds(double images, int replicas) {
        return Math.ceil(images / ((double) replicas * batch * frequency));
    }

    double overheadSeconds(double images, int replicas) {
        return rounds(images, replicas) * overhead.clusterMillis(replicas, parameters) / 1000;
    }

    double seconds(double images, int replicas) {
        return computeSeconds(images, replicas) + overheadSeconds(images, replicas);
    }

    /** Speed-up to the same test bits/dim over one replica, divided by n. */
    double efficiency(StatisticalEfficiency.ImagesModel images, int replicas) {
        double one = seconds(images.images(1), 1);
        double many = seconds(images.images(replicas), replicas);
        return one / many / replicas;
    }
}
