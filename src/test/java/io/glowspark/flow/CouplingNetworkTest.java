package io.glowspark.flow;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The conditioner computes its convolutions as gemm products over patch matrices; this pins them to libnd4j's
 * conv2d / conv2d_bp with the same [out, in, kH, kW] weights, so checkpoints keep their meaning.
 */
class CouplingNetworkTest {

    private static final double TOLERANCE = 1e-10;

    @Test
    void forwardAndBackwardEqualLibnd4jConvolutions() {
        CouplingNetwork network = new CouplingNetwork("c", 3, 8, 4);
        ParameterLayout layout = BijectorContract.bind(network.parameters(), () -> network.initializeParameters(new Random(1)));
        BijectorContract.perturb(layout, 2);
        List<Parameter> p = network.parameters();
        INDArray x = BijectorContract.randomInput(3, 2, 3, 5, 6);
        INDArray gradOut = BijectorContract.randomInput(4, 2, 4, 5, 6);

        INDArray h1 = Transforms.relu(Convolution.forward(x, p.get(0).value(), p.get(1).value()), true);
        INDArray h2 = Transforms.relu(Convolution.forward(h1, p.get(2).value(), p.get(3).value()), true);
        INDArray expected = Convolution.forward(h2, p.get(4).value(), p.get(5).value());
        assertClose("output", expected, network.forward(x));

        INDArray gradX = network.backward(gradOut);
        Convolution.Gradients g3 = Convolution.backward(h2, p.get(4).value(), p.get(5).value(), gradOut);
        INDArray gradH2 = g3.input().mul(h2.gt(0).castTo(h2.dataType()));
        Convolution.Gradients g2 = Convolution.backward(h1, p.get(2).value(), p.get(3).value(), gradH2);
        INDArray gradH1 = g2.input().mul(h1.gt(0).castTo(h1.dataType()));
        Convolution.Gradients g1 = Convolution.backward(x, p.get(0).value(), p.get(1).value(), gradH1);
        assertClose("dL/dx", g1.input(), gradX);
        List<Convolution.Gradients> expectedGradients = List.of(g1, g2, g3);
        for (int conv = 0; conv < 3; conv++) {
            Convolution.Gradients g = expectedGradients.get(conv);
            assertClose(p.get(2 * conv).name(), g.weights(), p.get(2 * conv).gradient());
            assertClose(p.get(2 * conv + 1).name(), g.bias(), p.get(2 * conv + 1).gradient());
        }
    }

    private static void assertClose(String what, INDArray expected, INDArray actual) {
        double error = expected.sub(actual.reshape(expected.shape())).amaxNumber().doubleValue();
        double scale = expected.amaxNumber().doubleValue();
        assertTrue(scale > 0.1, what + ": reference is all but zero, the comparison would prove nothing");
        assertTrue(error <= TOLERANCE * Math.max(1, scale), what + ": max |difference| " + error + " (max |expected| " + scale + ")");
    }
}
