package io.glowspark.data;

import java.io.Serializable;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import org.apache.hadoop.conf.Configuration;

/**
 * An image file and its label file with matching counts (the training or the test set), possibly limited to
 * the first {@code count} items. Holds headers only; the pixels are read by {@link Shard#read} where they are used.
 */
public record LabeledImages(IdxFile images, IdxFile labels, int count) implements Serializable {

    /** Finds and validates {@code imagesName} and {@code labelsName} (or their .gz) in {@code dir}. */
    public static LabeledImages open(URI dir, String imagesName, String labelsName, Configuration conf) {
        IdxFile images = IdxFile.find(dir, imagesName, IdxKind.IMAGES, conf);
        IdxFile labels = IdxFile.find(dir, labelsName, IdxKind.LABELS, conf);
        int imageCount = images.header().count();
        int labelCount = labels.header().count();
        if (imageCount != labelCount) {
            throw DataException.of(images.uri(), "count mismatch: " + imageCount + " images, but " + labels.uri()
                    + " has " + labelCount + " labels");
        }
        return new LabeledImages(images, labels, imageCount);
    }

    public int rows() {
        return images.header().itemDims().get(0);
    }

    public int cols() {
        return images.header().itemDims().get(1);
    }

    /** The first {@code n} items; 0 (or more than there are) means all. */
    public LabeledImages limit(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + n);
        }
        return n == 0 || n >= count ? this : new LabeledImages(images, labels, n);
    }

    /** Splits the items into at most {@code n} contiguous shards of nearly equal size (no empty shards). */
    public List<Shard> shards(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("number of shards must be >= 1, got " + n);
        }
        List<Shard> shards = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int first = (int) ((long) i * count / n);
            int end = (int) ((long) (i + 1) * count / n);
            if (end > first) {
                shards.add(new Shard(images, labels, first, end - first));
            }
        }
        return shards;
    }
}
