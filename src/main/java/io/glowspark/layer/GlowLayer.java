package io.glowspark.layer;

import io.glowspark.flow.DensityModel;
import io.glowspark.flow.ParameterLayout;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The DL4J layer around a flow: its output and score are the negative log-likelihood in bits per dimension
 * (per example and averaged), its backward pass is the flow's hand-written one.
 *
 * <p>A class-conditional flow takes each image's class as its label, a class index ([N, 1], as the training data
 * carries them): its score, the training loss, is -log p(x | y). Its output needs no label: -log p(x), the density
 * of the image whatever its class. An unconditional flow ignores labels; output and score are both -log p(x).
 *
 * <p>The flow keeps its intermediate arrays from forward to backward in buffers of its own, allocated once outside
 * DL4J's workspaces and reused by every iteration; what it returns are detached copies.
 */
public class GlowLayer extends BaseLayer<GlowLayerConfig> implements IOutputLayer {

    private final DensityModel model;
    private final ParameterLayout layout;
    private INDArray labels;
    private INDArray scoredInput;
    private INDArray scoredLabels;
    private INDArray bitsPerDim;

    public GlowLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        this.model = ((GlowLayerConfig) conf.getLayer()).buildModel();
        this.layout = new ParameterLayout(model.parameters());
    }

    public DensityModel model() {
        return model;
    }

    @Override
    public void setParamTable(Map<String, INDArray> paramTable) {
        super.setParamTable(paramTable);
        layout.bindValues(paramTable);
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray gradients) {
        super.setBackpropGradientsViewArray(gradients);
        layout.bindGradients(gradientViews);
    }

    @Override
    public void setInput(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        super.setInput(input, workspaceMgr);
        scoredInput = null;
    }

    /**
     * Bits per dimension of the current input, computed once per input and labels: -log p(x | y) under
     * {@code givenLabels}, or -log p(x) when they are null.
     */
    private INDArray bitsPerDim(INDArray givenLabels) {
        assertInputSet(false);
        if (scoredInput != input || scoredLabels != givenLabels) {
            score(givenLabels);
        }
        return bitsPerDim;
    }

    /**
     * Scores the input under {@code givenLabels} (null: unconditionally), freeing the previous scores: every array
     * the layer hands out is a copy, and ND4J would free the previous ones' native memory only once the collector
     * found them, which the flow's small Java heap allocation puts off for hundreds of iterations.
     */
    private void score(INDArray givenLabels) {
        if (bitsPerDim != null) {
            bitsPerDim.close();
        }
        bitsPerDim = givenLabels == null ? model.bitsPerDim(input) : model.bitsPerDim(input, classIndices(givenLabels));
        scoredInput = input;
        scoredLabels = givenLabels;
    }

    /** The labels the training loss is conditioned on: null for an unconditional flow. */
    private INDArray lossLabels() {
        if (model.classes() == 0) {
            return null;
        }
        if (labels == null) {
            throw new IllegalStateException("a class-conditional Glow needs each image's class as its label");
        }
        return labels;
    }

    /** Class indices [N, 1] (or [N]) as ints; null for null. */
    private int[] classIndices(INDArray classes) {
        if (classes == null) {
            return null;
        }
        if (classes.length() != input.size(0)) {
            throw new IllegalArgumentException("expected one class index per image, labels [" + input.size(0)
                    + ", 1], got labels of shape " + Arrays.toString(classes.shape()));
        }
        double[] values = classes.castTo(DataType.DOUBLE).dup().reshape(classes.length()).toDoubleVector();
        int[] indices = new int[values.length];
        for (int n = 0; n < values.length; n++) {
            if (values[n] != Math.rint(values[n])) {
                throw new IllegalArgumentException("label " + values[n] + " of image " + n + " is not a class index");
            }
            indices[n] = (int) values[n];
        }
        return indices;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return workspaceMgr.dup(ArrayType.ACTIVATIONS, bitsPerDim(null).reshape(input.size(0), 1));
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        score(lossLabels());
        // DL4J's updater divides by the minibatch size, so the layer returns gradients summed over examples.
        INDArray ones = Nd4j.ones(bitsPerDim.dataType(), bitsPerDim.length());
        try (INDArray gradInput = model.backward(ones)) {
            Gradient gradient = new DefaultGradient(gradientsFlattened);
            for (Map.Entry<String, INDArray> e : gradientViews.entrySet()) {
                gradient.setGradientFor(e.getKey(), e.getValue());
            }
            return new Pair<>(gradient, workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, gradInput));
        }
    }

    @Override
    public double computeScore(double fullNetworkRegScore, boolean training, LayerWorkspaceMgr workspaceMgr) {
        score = bitsPerDim(lossLabels()).meanNumber().doubleValue() + fullNetworkRegScore;
        return score;
    }

    @Override
    public INDArray computeScoreForExamples(double fullNetworkRegScore, LayerWorkspaceMgr workspaceMgr) {
        return workspaceMgr.dup(ArrayType.ACTIVATIONS,
                bitsPerDim(lossLabels()).reshape(input.size(0), 1).add(fullNetworkRegScore));
    }

    @Override
    public boolean needsLabels() {
        return model.classes() > 0;
    }

    @Override
    public void setLabels(INDArray labels) {
        this.labels = labels;
    }

    /** DL4J clears a layer's state after each fit: the labels go with the input, so a later output cannot use them. */
    @Override
    public void clear() {
        super.clear();
        labels = null;
        scoredInput = null;
        scoredLabels = null;
    }

    @Override
    public INDArray getLabels() {
        return labels;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public Type type() {
        return Type.CONVOLUTIONAL;
    }

    @Override
    public void clearNoiseWeightParams() {
    }

    // A density model does not classify: DL4J's Classifier methods have no meaning here.

    @Override
    public double f1Score(DataSet data) {
        throw notAClassifier();
    }

    @Override
    public double f1Score(INDArray examples, INDArray labels) {
        throw notAClassifier();
    }

    @Override
    public int numLabels() {
        throw notAClassifier();
    }

    @Override
    public void fit(DataSetIterator iter) {
        throw notAClassifier();
    }

    @Override
    public int[] predict(INDArray examples) {
        throw notAClassifier();
    }

    @Override
    public List<String> predict(DataSet dataSet) {
        throw notAClassifier();
    }

    @Override
    public void fit(INDArray examples, INDArray labels) {
        throw notAClassifier();
    }

    @Override
    public void fit(DataSet data) {
        throw notAClassifier();
    }

    @Override
    public void fit(INDArray examples, int[] labels) {
        throw notAClassifier();
    }

    private static UnsupportedOperationException notAClassifier() {
        return new UnsupportedOperationException("GlowLayer is a density model; train it through its network");
    }
}
