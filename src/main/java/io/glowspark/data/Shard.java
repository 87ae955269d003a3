package io.glowspark.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;

import org.apache.hadoop.conf.Configuration;

/**
 * Items {@code first .. first+count-1} of an image file and its label file: a small value shipped to an executor,
 * which reads only its own byte ranges.
 */
public record Shard(IdxFile images, IdxFile labels, int first, int count) implements Serializable {

    public RawImages read(Configuration conf) {
        byte[] pixels = new byte[Math.toIntExact(count * images.header().itemBytes())];
        byte[] labelBytes = new byte[count];
        readRange(images, pixels, conf);
        readRange(labels, labelBytes, conf);
        int[] labelValues = new int[count];
        for (int i = 0; i < count; i++) {
            labelValues[i] = labelBytes[i] & 0xff;
        }
        var dims = images.header().itemDims();
        return new RawImages(first, dims.get(0), dims.get(1), pixels, labelValues);
    }

    private void readRange(IdxFile file, byte[] buffer, Configuration conf) {
        try (InputStream in = file.openAt(first, conf)) {
            file.readFully(in, buffer);
        } catch (IOException e) {
            throw DataException.of(file.uri(), "cannot close: " + e, e);
        }
    }
}
