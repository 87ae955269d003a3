package io.glowspark.layer;

import io.glowspark.flow.DensityModel;
import io.glowspark.flow.Glow;
import io.glowspark.flow.GlowSpec;
import io.glowspark.flow.ParameterLayout;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;

import java.util.Collection;
import java.util.Map;

/**
 * Configuration of the DL4J layer that holds a whole Glow model and outputs its negative log-likelihood in bits
 * per dimension. Plain fields only, so that it serializes to JSON with the network configuration.
 */
public class GlowLayerConfig extends BaseLayer {

    private int channels;
    private int height;
    private int width;
    private int levels;
    private int stepsPerLevel;
    private int hiddenChannels;
    private String coupling;
    private String permutation;
    private boolean hiddenActNorm;
    private double zeroConvLogscaleFactor;
    private int nBits;
    private int classes;
    private boolean conditionalSplitPriors;
    private transient ParameterLayout layout;

    /** For JSON deserialization. */
    public GlowLayerConfig() {
    }

    public GlowLayerConfig(GlowSpec spec) {
        this.channels = spec.channels();
        this.height = spec.height();
        this.width = spec.width();
        this.levels = spec.levels();
        this.stepsPerLevel = spec.stepsPerLevel();
        this.hiddenChannels = spec.hiddenChannels();
        this.coupling = spec.coupling().name();
        this.permutation = spec.permutation().name();
        this.hiddenActNorm = spec.conditioner().hiddenActNorm();
        this.zeroConvLogscaleFactor = spec.conditioner().logScaleFactor();
        this.nBits = spec.nBits();
        this.classes = spec.classes().count();
        this.conditionalSplitPriors = spec.classes().splitPriors();
    }

    /** A copy of this configuration with gradient L2-norm clipping over the whole flow; threshold 0 disables it. */
    public GlowLayerConfig withGradientClipping(double threshold) {
        GlowLayerConfig copy = (GlowLayerConfig) clone();
        copy.applyGradientClipping(threshold);
        return copy;
    }

    /** Sets gradient L2-norm clipping over the whole flow on this configuration; threshold 0 disables it. */
    public void applyGradientClipping(double threshold) {
        setGradientNormalization(threshold > 0 ? GradientNormalization.ClipL2PerLayer : GradientNormalization.None);
        setGradientNormalizationThreshold(threshold > 0 ? threshold : 1.0);
    }

    public GlowSpec spec() {
        return new GlowSpec(channels, height, width, levels, stepsPerLevel, hiddenChannels,
                GlowSpec.Coupling.valueOf(coupling), GlowSpec.Permutation.valueOf(permutation),
                new GlowSpec.Conditioner(hiddenActNorm, zeroConvLogscaleFactor), nBits,
                new GlowSpec.ClassConditioning(classes, conditionalSplitPriors));
    }

    /** The flow this layer computes; a fresh, unbound instance on every call. */
    public DensityModel buildModel() {
        return new Glow(spec());
    }

    /** Names, shapes and order of the flow's parameters, built once: DL4J asks for them per parameter. */
    ParameterLayout parameterLayout() {
        if (layout == null) {
            layout = new ParameterLayout(buildModel().parameters());
        }
        return layout;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray paramsView, boolean initializeParams,
                                                       DataType networkDataType) {
        GlowLayer layer = new GlowLayer(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(paramsView);
        Map<String, INDArray> params = initializer().init(conf, paramsView, initializeParams);
        layer.setParamTable(params);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return GlowParamInitializer.INSTANCE;
    }

    @Override
    public IUpdater getUpdaterByParam(String paramName) {
        return initializer().isWeightParam(this, paramName) ? super.getUpdaterByParam(paramName) : new NoOp();
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return InputType.feedForward(1);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    public boolean isPretrainParam(String paramName) {
        return false;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        return new LayerMemoryReport.Builder(layerName, GlowLayerConfig.class, inputType, getOutputType(0, inputType))
                .standardMemory(initializer().numParams(this), 0)
                .workingMemory(0, 0, 0, 0)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    // Bean accessors: DL4J's JSON mapper reads and writes layer configurations through them. Configurations written
    // before a field existed read as its default (false, 0): the model those versions built (0 classes: unconditional).
    public int getChannels() { return channels; }
    public void setChannels(int v) { channels = v; }
    public int getHeight() { return height; }
    public void setHeight(int v) { height = v; }
    public int getWidth() { return width; }
    public void setWidth(int v) { width = v; }
    public int getLevels() { return levels; }
    public void setLevels(int v) { levels = v; }
    public int getStepsPerLevel() { return stepsPerLevel; }
    public void setStepsPerLevel(int v) { stepsPerLevel = v; }
    public int getHiddenChannels() { return hiddenChannels; }
    public void setHiddenChannels(int v) { hiddenChannels = v; }
    public String getCoupling() { return coupling; }
    public void setCoupling(String v) { coupling = v; }
    public String getPermutation() { return permutation; }
    public void setPermutation(String v) { permutation = v; }
    public boolean isHiddenActNorm() { return hiddenActNorm; }
    public void setHiddenActNorm(boolean v) { hiddenActNorm = v; }
    public double getZeroConvLogscaleFactor() { return zeroConvLogscaleFactor; }
    public void setZeroConvLogscaleFactor(double v) { zeroConvLogscaleFactor = v; }
    public int getNBits() { return nBits; }
    public void setNBits(int v) { nBits = v; }
    public int getClasses() { return classes; }
    public void setClasses(int v) { classes = v; }
    public boolean isConditionalSplitPriors() { return conditionalSplitPriors; }
    public void setConditionalSplitPriors(boolean v) { conditionalSplitPriors = v; }
}
