package io.glowspark.layer;

import io.glowspark.flow.DensityModel;
import io.glowspark.flow.ParameterLayout;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;
import java.util.Random;

/** Names every parameter of the flow and lays them out in the network's flat parameter vector. */
public final class GlowParamInitializer implements ParamInitializer {

    static final GlowParamInitializer INSTANCE = new GlowParamInitializer();

    private GlowParamInitializer() {
    }

    private static ParameterLayout layout(Layer layer) {
        return ((GlowLayerConfig) layer).parameterLayout();
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        return layout(layer).length();
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return layout(layer).names();
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return layout(layer).trainableNames();
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return List.of();
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return layout(layer).isTrainable(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return false;
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        DensityModel model = ((GlowLayerConfig) conf.getLayer()).buildModel();
        ParameterLayout layout = new ParameterLayout(model.parameters());
        Map<String, INDArray> views = layout.views(paramsView);
        if (initializeParams) {
            layout.bindValues(views);
            model.initializeParameters(new Random(conf.getSeed()));
        }
        return views;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return layout(conf.getLayer()).views(gradientView);
    }
}
