package io.glowspark.data;

import java.io.IOException;
import java.io.InputStream;
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

    /** MNIST's classes: every label is a digit. */
    public static final int CLASSES = 10;

    /**
     * Finds and validates {@code imagesName} and {@code labelsName} (or their .gz) in {@code dir}: headers, sizes,
     * matching counts, at least one image, and every label a digit (the labels file is read, as a stream).
     */
    public static LabeledImages open(URI dir, String imagesName, String labelsName, Configuration conf) {
        IdxFile images = IdxFile.find(dir, imagesName, IdxKind.IMAGES, conf);
        IdxFile labels = IdxFile.find(dir, labelsName, IdxKind.LABELS, conf);
        int imageCount = images.header().count();
        int labelCount = labels.header().count();
        if (imageCount != labelCount) {
            throw DataException.of(images.uri(), "count mismatch: " + imageCount + " images, but " + labels.uri()
                    + " has " + labelCount + " labels");
        }
        if (imageCount == 0) {
            throw DataException.of(images.uri(), "holds no images");
        }
        requireDigits(labels, conf);
        return new LabeledImages(images, labels, imageCount);
    }

    private static void requireDigits(IdxFile labels, Configuration conf) {
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = labels.openAt(0, conf)) {
            for (int item = 0; item < labels.header().count(); ) {
                int n = Math.min(buffer.length, labels.header().count() - item);
                labels.readFully(in, buffer, n);
                for (int i = 0; i < n; i++, item++) {
                    int label = buffer[i] & 0xff;
                    if (label >= CLASSES) {
                        throw DataException.of(labels.uri(), "label " + label + " of item " + item + " is not a digit 0.."
                                + (CLASSES - 1));
                    }
                }
            }
        } catch (IOException e) {
            throw DataException.of(labels.uri(), "cannot close: " + e, e);
        }
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
