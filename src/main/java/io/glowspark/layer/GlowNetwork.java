package io.glowspark.layer;

import io.glowspark.flow.DensityModel;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Builds the one-layer DL4J network around a Glow layer and runs its data-dependent initialization. */
public final class GlowNetwork {

    private GlowNetwork() {
    }

    public static MultiLayerConfiguration configuration(GlowLayerConfig layer, IUpdater updater, long seed, DataType dataType) {
        layer.setIUpdater(updater);
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(dataType)
                .updater(updater)
                .list()
                .layer(layer)
                .build();
    }

    public static MultiLayerNetwork create(GlowLayerConfig layer, IUpdater updater, long seed, DataType dataType) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(layer, updater, seed, dataType));
        net.init();
        return net;
    }

    /** A network of the same configuration with these parameters (copied), without updater state. */
    public static MultiLayerNetwork withParameters(MultiLayerNetwork net, INDArray parameters) {
        if (parameters.length() != net.numParams()) {
            throw new IllegalArgumentException("the network has " + net.numParams() + " parameters, got "
                    + parameters.length());
        }
        MultiLayerNetwork copy = new MultiLayerNetwork(net.getLayerWiseConfigurations().clone());
        copy.init(parameters.reshape(1, parameters.length()).castTo(net.params().dataType()).dup(), false);
        return copy;
    }

    /** Writes a flat parameter vector in ND4J's binary format. */
    public static void writeParameters(INDArray parameters, OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        Nd4j.write(parameters, data);
        data.flush();
    }

    /** Reads a parameter vector written by {@link #writeParameters}. */
    public static INDArray readParameters(InputStream in) {
        return Nd4j.read(new DataInputStream(in));
    }

    /** Whether every parameter is finite: no NaN, no infinity. */
    public static boolean isFinite(INDArray parameters) {
        return !parameters.isNaN().any() && !parameters.isInfinite().any();
    }

    public static GlowLayer glowLayer(MultiLayerNetwork net) {
        return (GlowLayer) net.getLayer(0);
    }

    /**
     * The data-dependent ActNorm initialization: one forward pass over the batch writes every ActNorm's bias and
     * log-scale into the network's parameters (and its initialized flag), so copies of the network start from it.
     * The pass's buffers, sized for the init batch (often larger than a training batch), are freed afterwards.
     */
    public static void initializeActNorm(MultiLayerNetwork net, INDArray batch) {
        DensityModel model = glowLayer(net).model();
        if (model.isInitialized()) {
            throw new IllegalStateException("the ActNorm layers are already initialized; the init pass runs once per model");
        }
        model.initializeFrom(batch.castTo(net.params().dataType()));
        model.releaseBuffers();
    }
}
