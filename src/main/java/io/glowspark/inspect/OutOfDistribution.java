package io.glowspark.inspect;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A likelihood-based out-of-distribution check: the bits/dim a model gives images of the kind it was trained on and
 * images of another kind, and how well bits/dim alone tells the second from the first.
 *
 * @param inDistribution    bits/dim of each image of the training data's kind (e.g. MNIST test digits)
 * @param outOfDistribution bits/dim of each image of the other kind (e.g. Fashion-MNIST test images)
 */
public record OutOfDistribution(double[] inDistribution, double[] outOfDistribution) {

    private static final int BINS = 40;

    public OutOfDistribution {
        if (inDistribution.length == 0 || outOfDistribution.length == 0) {
            throw new IllegalArgumentException("the check needs images of both kinds, got " + inDistribution.length
                    + " and " + outOfDistribution.length);
        }
    }

    /**
     * The AUROC of bits/dim as a detector of the other kind (the higher, the more likely out of distribution): the
     * probability that a random image of the other kind has more bits/dim than a random one of the training data's
     * kind, ties counting half. 1 separates them perfectly, 0.5 is chance, below 0.5 the model prefers the other kind.
     */
    public double auroc() {
        double[] in = inDistribution.clone();
        Arrays.sort(in);
        double pairs = 0;
        for (double v : outOfDistribution) {
            int below = count(in, v, false);
            pairs += below + 0.5 * (count(in, v, true) - below);
        }
        return pairs / ((double) in.length * outOfDistribution.length);
    }

    public double meanIn() {
        return Arrays.stream(inDistribution).average().orElseThrow();
    }

    public double meanOut() {
        return Arrays.stream(outOfDistribution).average().orElseThrow();
    }

    /** Both bits/dim histograms over the same bins, with the AUROC in the title. */
    public LineChart histograms(String inName, String outName) {
        Map<String, double[]> samples = new LinkedHashMap<>();
        samples.put(inName, inDistribution);
        samples.put(outName, outOfDistribution);
        return LineChart.histograms(String.format(Locale.ROOT, "bits/dim per image: %s vs %s, AUROC %.3f",
                inName, outName, auroc()), "bits/dim", BINS, samples);
    }

    /** How many of the sorted values are below v or, with {@code orEqual}, not above it. */
    private static int count(double[] sorted, double v, boolean orEqual) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < v || orEqual && sorted[mid] == v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
