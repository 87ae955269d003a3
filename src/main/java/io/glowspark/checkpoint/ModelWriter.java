package io.glowspark.checkpoint;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a model part of a checkpoint, e.g. {@code out -> ModelSerializer.writeModel(net, out, true)}.
 * Closing {@code out} is allowed and does not end the checkpoint.
 */
@FunctionalInterface
public interface ModelWriter {
    void write(OutputStream out) throws IOException;
}
