package io.glowspark.checkpoint;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.glowspark.flow.Glow;
import io.glowspark.layer.GlowLayer;
import io.glowspark.layer.GlowNetwork;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A checkpoint that can be used: it loads, its model restores as a Glow with its updater state, its parameters and
 * their Polyak average are finite, and its metadata agrees with its model. The one policy for which checkpoint a
 * run continues from and which one the inspection tools show: the trainer and {@code RunReader} both choose with
 * {@link #newest}, and every checkpoint passed over is reported with why.
 *
 * @param checkpoint       the checkpoint as read
 * @param net              its network, with updater state
 * @param polyakParameters the Polyak average of its parameters; empty in checkpoints of versions that did not average
 */
public record RestoredCheckpoint(Checkpoint checkpoint, MultiLayerNetwork net, Optional<INDArray> polyakParameters) {

    /**
     * The newest usable checkpoint of a run, and the newer ones passed over.
     *
     * @param restored the newest usable checkpoint; empty if there is none
     * @param skipped  why each newer checkpoint (every checkpoint, when none is usable) could not be used, newest first
     */
    public record Newest(Optional<RestoredCheckpoint> restored, List<CheckpointException> skipped) {
    }

    /**
     * The newest usable checkpoint in {@link CheckpointStore#newestFirst} order.
     *
     * @throws IOException if the file system fails: that is no reason to fall back to an older checkpoint
     */
    public static Newest newest(CheckpointStore store) throws IOException {
        List<CheckpointException> skipped = new ArrayList<>();
        for (String name : store.newestFirst()) {
            try {
                return new Newest(Optional.of(of(store, name)), skipped);
            } catch (CheckpointException e) {
                skipped.add(e);
            }
        }
        return new Newest(Optional.empty(), skipped);
    }

    /**
     * One checkpoint by file name, checked.
     *
     * @throws NonFiniteCheckpointException if its parameters or their Polyak average are not all finite
     * @throws CheckpointException          if it is missing, damaged, not a Glow, or its metadata disagrees with it
     */
    public static RestoredCheckpoint of(CheckpointStore store, String name) throws IOException {
        Checkpoint checkpoint = store.open(name);
        String location = store.location(name);
        MultiLayerNetwork net;
        Optional<INDArray> polyak;
        try {
            net = ModelSerializer.restoreMultiLayerNetwork(checkpoint.model(), true);
            polyak = checkpoint.polyakParameters().map(GlowNetwork::readParameters);
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(location, "the model does not restore (" + e + ")", e);
        }
        if (net.getnLayers() != 1 || !(net.getLayer(0) instanceof GlowLayer layer) || !(layer.model() instanceof Glow glow)) {
            throw new CheckpointException(location, "not a Glow model");
        }
        if (polyak.isPresent() && polyak.get().length() != net.numParams()) {
            throw new CheckpointException(location, "its Polyak average has " + polyak.get().length()
                    + " values, its model " + net.numParams() + " parameters");
        }
        if (checkpoint.metadata().actNormInitialized() != glow.isInitialized()) {
            throw new CheckpointException(location, "its metadata says the ActNorm initialization was "
                    + (checkpoint.metadata().actNormInitialized() ? "" : "not ") + "done, its parameters say otherwise");
        }
        if (!GlowNetwork.isFinite(net.params())) {
            throw new NonFiniteCheckpointException(location, "the parameters contain NaN or infinite values");
        }
        if (polyak.isPresent() && !GlowNetwork.isFinite(polyak.get())) {
            throw new NonFiniteCheckpointException(location, "the Polyak average contains NaN or infinite values");
        }
        return new RestoredCheckpoint(checkpoint, net, polyak);
    }

    public String name() {
        return checkpoint.name();
    }

    public CheckpointMetadata metadata() {
        return checkpoint.metadata();
    }

    public Glow glow() {
        return (Glow) GlowNetwork.glowLayer(net).model();
    }

    /** The network with the parameters inspection uses: the Polyak average, or the raw parameters without one. */
    public MultiLayerNetwork averagedNet() {
        return polyakParameters.map(p -> GlowNetwork.withParameters(net, p)).orElse(net);
    }
}
