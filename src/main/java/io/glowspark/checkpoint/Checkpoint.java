package io.glowspark.checkpoint;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Optional;

/**
 * A loaded, validated checkpoint: its metadata, the model bytes (e.g. for ModelSerializer.restoreMultiLayerNetwork)
 * and the bytes of the Polyak-averaged parameters, if the checkpoint has them.
 */
public final class Checkpoint {

    private final String name;
    private final CheckpointMetadata metadata;
    private final byte[] model;
    private final byte[] polyakParameters;

    Checkpoint(String name, CheckpointMetadata metadata, byte[] model, byte[] polyakParameters) {
        this.name = name;
        this.metadata = metadata;
        this.model = model;
        this.polyakParameters = polyakParameters;
    }

    /** File name inside {@code checkpoints/}, e.g. {@code ckpt-000000001200.zip}. */
    public String name() {
        return name;
    }

    public CheckpointMetadata metadata() {
        return metadata;
    }

    /** A fresh stream over the model bytes on every call. */
    public InputStream model() {
        return new ByteArrayInputStream(model);
    }

    /** A fresh stream over the Polyak-averaged parameters on every call; empty for checkpoints of older versions. */
    public Optional<InputStream> polyakParameters() {
        return Optional.ofNullable(polyakParameters).map(ByteArrayInputStream::new);
    }

    public long modelSize() {
        return model.length;
    }

    @Override
    public String toString() {
        return name + " " + metadata;
    }
}
