package io.glowspark.checkpoint;

import java.io.ByteArrayInputStream;
import java.io.InputStream;

/** A loaded, validated checkpoint: its metadata and the model bytes, e.g. for ModelSerializer.restoreMultiLayerNetwork. */
public final class Checkpoint {

    private final String name;
    private final CheckpointMetadata metadata;
    private final byte[] model;

    Checkpoint(String name, CheckpointMetadata metadata, byte[] model) {
        this.name = name;
        this.metadata = metadata;
        this.model = model;
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

    public long modelSize() {
        return model.length;
    }

    @Override
    public String toString() {
        return name + " " + metadata;
    }
}
