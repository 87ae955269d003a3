package io.glowspark.flow;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The conditioner computes its convolutions as products over patch matrices and shifted taps; this pins them to
 * libnd4j's conv2d / conv2d_bp with the same [out, in, kH, kW] weights, so checkpoints keep their meaning.
 */
class CouplingNetworkTest {

    private static final double TOLERANCE = 1e-10;

    private static Map<String, INDArray> prepared(CouplingNetwork network, long seed) {
        ParameterLayout layout = BijectorContract.bind(network.parameters(), () -> network.initializeParameters(new Random(seed)));
        BijectorContract.perturb(layout, seed + 1);
        return network.parameters().stream().collect(Collectors.toMap(p -> p.name().substring(2), Parameter::value));
    }

    @Test
    void forwardAndBackwardEqualLibnd4jConvolutions() {
        CouplingNetwork network = new CouplingNetwork("c", 3, 8, 4, GlowSpec.Conditioner.PLAIN);
        Map<String, INDArray> p = prepared(network, 1);
        Tensor x = BijectorContract.randomInput(3, 2, 3, 5, 6);
        Tensor gradOut = BijectorContract.randomInput(4, 2, 4, 5, 6);
        INDArray input = x.toNd4j(DataType.DOUBLE);

        INDArray h1 = Transforms.relu(Convolution.forward(input, p.get("conv1.weight"), p.get("conv1.bias")), true);
        INDArray h2 = Transforms.relu(Convolution.forward(h1, p.get("conv2.weight"), p.get("conv2.bias")), true);
        INDArray expected = Convolution.forward(h2, p.get("zeroConv.weight"), p.get("zeroConv.bias"));
        assertClose("output", expected, network.forward(x).toNd4j(DataType.DOUBLE));

        INDArray gradX = network.backward(gradOut).toNd4j(DataType.DOUBLE);
        Convolution.Gradients g3 = Convolution.backward(h2, p.get("zeroConv.weight"), p.get("zeroConv.bias"),
                gradOut.toNd4j(DataType.DOUBLE));
        INDArray gradH2 = g3.input().mul(h2.gt(0).castTo(h2.dataType()));
        Convolution.Gradients g2 = Convolution.backward(h1, p.get("conv2.weight"), p.get("conv2.bias"), gradH2);
        INDArray gradH1 = g2.input().mul(h1.gt(0).castTo(h1.dataType()));
        Convolution.Gradients g1 = Convolution.backward(input, p.get("conv1.weight"), p.get("conv1.bias"), gradH1);
        assertClose("dL/dx", g1.input(), gradX);
        Map<String, INDArray> gradients = network.parameters().stream()
                .collect(Collectors.toMap(q -> q.name().substring(2), Parameter::gradient));
        List<String> convolutions = List.of("conv1", "conv2", "zeroConv");
        List<Convolution.Gradients> expectedGradients = List.of(g1, g2, g3);
        for (int i = 0; i < 3; i++) {
            assertClose(convolutions.get(i) + ".weight", expectedGradients.get(i).weights(), gradients.get(convolutions.get(i) + ".weight"));
            assertClose(convolutions.get(i) + ".bias", expectedGradients.get(i).bias(), gradients.get(convolutions.get(i) + ".bias"));
        }
    }

    /** Glow's conditioner: conv, ActNorm, ReLU twice, then the zero conv scaled by exp(3 logs), per channel. */
    @Test
    void glowConditionerEqualsLibnd4jConvolutionsWithActNormAndOutputScale() {
        CouplingNetwork network = new CouplingNetwork("c", 3, 8, 4, GlowSpec.Conditioner.GLOW);
        Map<String, INDArray> p = prepared(network, 5);
        Tensor x = BijectorContract.randomInput(6, 2, 3, 5, 6);
        INDArray input = x.toNd4j(DataType.DOUBLE);
        Function<String, INDArray> perChannel = key -> p.get(key).reshape(1, p.get(key).length(), 1, 1);

        INDArray h1 = Transforms.relu(Convolution.forward(input, p.get("conv1.weight"), null)
                .addi(perChannel.apply("conv1.bias")).muli(Transforms.exp(perChannel.apply("conv1.actNorm.logScale"))), true);
        INDArray h2 = Transforms.relu(Convolution.forward(h1, p.get("conv2.weight"), null)
                .addi(perChannel.apply("conv2.bias")).muli(Transforms.exp(perChannel.apply("conv2.actNorm.logScale"))), true);
        INDArray expected = Convolution.forward(h2, p.get("zeroConv.weight"), p.get("zeroConv.bias"))
                .muli(Transforms.exp(perChannel.apply("zeroConv.logScale").mul(3)));
        assertClose("output", expected, network.forward(x).toNd4j(DataType.DOUBLE));
    }

    @Test
    void hiddenActNormIsInitializedToZeroMeanAndUnitVarianceBeforeTheReLU() {
        CouplingNetwork network = new CouplingNetwork("c", 3, 8, 4, GlowSpec.Conditioner.GLOW);
        Map<String, INDArray> p = prepared(network, 7);
        Tensor x = BijectorContract.randomInput(8, 16, 3, 5, 6);
        network.initializeFrom(x);
        INDArray raw = Convolution.forward(x.toNd4j(DataType.DOUBLE), p.get("conv1.weight"), null);
        INDArray normalized = raw.addi(p.get("conv1.bias").reshape(1, 8, 1, 1))
                .muli(Transforms.exp(p.get("conv1.actNorm.logScale").reshape(1, 8, 1, 1)));
        assertTrue(normalized.mean(0, 2, 3).amaxNumber().doubleValue() < 1e-9, "mean per channel");
        assertTrue(normalized.std(0, 2, 3).subi(1).amaxNumber().doubleValue() < 1e-4, "std per channel");
    }

    private static void assertClose(String what, INDArray expected, INDArray actual) {
        double error = expected.sub(actual.reshape(expected.shape())).amaxNumber().doubleValue();
        double scale = expected.amaxNumber().doubleValue();
        assertTrue(scale > 1e-3, what + ": reference is all but zero, the comparison would prove nothing");
        assertTrue(error <= TOLERANCE * Math.max(1, scale), what + ": max |difference| " + error + " (max |expected| " + scale + ")");
    }
}
