package io.glowspark.flow;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;
import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The checks every bijector must pass, in double precision: exact inverse, log-det equal to log|det| of the
 * numerically computed Jacobian, and a backward pass equal to central finite differences for the input and
 * every element of every trainable parameter.
 */
public final class BijectorContract {

    private static final double EPS = 1e-6;

    private BijectorContract() {
    }

    /** Binds the parameters to fresh double storage and gives them their initial values. */
    static ParameterLayout bind(List<Parameter> parameters, Runnable initialize) {
        return bind(parameters, DataType.DOUBLE, initialize);
    }

    static ParameterLayout bind(List<Parameter> parameters, DataType type, Runnable initialize) {
        ParameterLayout layout = new ParameterLayout(parameters);
        layout.bindValues(layout.views(Nd4j.zeros(type, 1, layout.length())));
        layout.bindGradients(layout.views(Nd4j.zeros(type, 1, layout.length())));
        initialize.run();
        return layout;
    }

    /**
     * Moves every trainable parameter away from its (often symmetric or zero) initial value, by little enough that a
     * network whose ActNorm scaled its weights up at initialization stays in its working range.
     */
    public static void perturb(ParameterLayout layout, long seed) {
        Random rng = new Random(seed);
        for (Parameter p : layout.parameters()) {
            if (p.isTrainable()) {
                INDArray v = p.value();
                for (long i = 0; i < v.length(); i++) {
                    v.putScalar(i, v.getDouble(i) + 0.03 * rng.nextGaussian());
                }
            }
        }
    }

    /** A bijector with bound, initialized (also from data) and perturbed parameters. */
    static ParameterLayout prepare(Bijector b, Tensor data, long seed) {
        ParameterLayout layout = bind(b.parameters(), () -> b.initializeParameters(new Random(seed)));
        b.initializeFrom(data);
        perturb(layout, seed);
        return layout;
    }

    /** Standard normal values in the given shape. */
    static Tensor randomInput(long seed, int n, int c, int h, int w) {
        Random rng = new Random(seed);
        Tensor t = new Tensor(n, c, h, w);
        for (int i = 0; i < t.data().length; i++) {
            t.data()[i] = rng.nextGaussian();
        }
        return t;
    }

    static Tensor randomLike(long seed, Tensor shape) {
        return randomInput(seed, shape.batch(), shape.channels(), shape.height(), shape.width());
    }

    static double maxAbsDifference(Tensor a, Tensor b) {
        assertTrue(a.hasShapeOf(b), a + " vs " + b);
        double max = 0;
        for (int i = 0; i < a.data().length; i++) {
            max = Math.max(max, Math.abs(a.data()[i] - b.data()[i]));
        }
        return max;
    }

    static void assertInverse(Bijector b, Tensor x, double tolerance) {
        Tensor y = b.forward(x).y();
        double error = maxAbsDifference(b.inverse(y), x);
        assertTrue(error <= tolerance, "max |f^-1(f(x)) - x| = " + error + " > " + tolerance);
    }

    /** x must hold a single example small enough for a dense Jacobian. */
    static void assertLogDetMatchesJacobian(Bijector b, Tensor x) {
        int d = x.data().length;
        double[][] jacobian = new double[d][d];
        for (int j = 0; j < d; j++) {
            double original = x.data()[j];
            x.data()[j] = original + EPS;
            double[] plus = b.forward(x).y().data().clone();
            x.data()[j] = original - EPS;
            double[] minus = b.forward(x).y().data().clone();
            x.data()[j] = original;
            for (int i = 0; i < d; i++) {
                jacobian[i][j] = (plus[i] - minus[i]) / (2 * EPS);
            }
        }
        assertEquals(LogDeterminant.of(jacobian), b.forward(x).logDet()[0], 1e-6, "log-det against the numerical Jacobian");
    }

    /** Checks backward against finite differences of L = sum(y * R) + sum(logDet * r) for random R and r. */
    static void assertGradients(Bijector b, ParameterLayout layout, Tensor x) {
        FlowOutput out = b.forward(x);
        Tensor weightY = randomLike(7, out.y());
        double[] weightLogDet = randomInput(8, out.logDet().length, 1, 1, 1).data();
        ToDoubleFunction<Tensor> loss = input -> {
            FlowOutput o = b.forward(input);
            double sum = 0;
            for (int i = 0; i < o.y().data().length; i++) {
                sum += o.y().data()[i] * weightY.data()[i];
            }
            for (int n = 0; n < weightLogDet.length; n++) {
                sum += o.logDet()[n] * weightLogDet[n];
            }
            return sum;
        };
        b.forward(x);
        double[] gradX = b.backward(weightY, weightLogDet).data().clone();
        assertMatchesFiniteDifferences("input", x.data(), gradX, () -> loss.applyAsDouble(x), Integer.MAX_VALUE);
        assertParameterGradients(layout, () -> loss.applyAsDouble(x), Integer.MAX_VALUE);
    }

    /**
     * Checks the parameter gradients of whatever computation {@code loss} runs (gradients must already be stored),
     * at up to {@code maxPerParameter} evenly spread elements of each parameter.
     */
    static void assertParameterGradients(ParameterLayout layout, DoubleSupplier loss, int maxPerParameter) {
        for (Parameter p : layout.parameters()) {
            INDArray grad = p.gradient();
            if (p.isTrainable()) {
                assertMatchesFiniteDifferences(p.name(), p.value(), grad, loss, maxPerParameter);
            } else {
                assertEquals(0.0, grad.amaxNumber().doubleValue(), 0.0, p.name() + " is fixed and must get no gradient");
            }
        }
    }

    static void assertMatchesFiniteDifferences(String what, INDArray values, INDArray analytic,
                                               DoubleSupplier loss, int maxElements) {
        INDArray flatValues = values.reshape(values.length());
        INDArray flatGrad = analytic.reshape(analytic.length());
        long stride = Math.max(1, flatValues.length() / maxElements);
        for (long i = 0; i < flatValues.length(); i += stride) {
            double original = flatValues.getDouble(i);
            flatValues.putScalar(i, original + EPS);
            double plus = loss.getAsDouble();
            flatValues.putScalar(i, original - EPS);
            double minus = loss.getAsDouble();
            flatValues.putScalar(i, original);
            assertClose(what, i, flatGrad.getDouble(i), (plus - minus) / (2 * EPS));
        }
    }

    static void assertMatchesFiniteDifferences(String what, double[] values, double[] analytic,
                                               DoubleSupplier loss, int maxElements) {
        int stride = Math.max(1, values.length / maxElements);
        for (int i = 0; i < values.length; i += stride) {
            double original = values[i];
            values[i] = original + EPS;
            double plus = loss.getAsDouble();
            values[i] = original - EPS;
            double minus = loss.getAsDouble();
            values[i] = original;
            assertClose(what, i, analytic[i], (plus - minus) / (2 * EPS));
        }
    }

    private static void assertClose(String what, long index, double analytic, double numeric) {
        if (Math.abs(analytic - numeric) > 1e-6 + 1e-5 * Math.abs(numeric)) {
            fail(what + "[" + index + "]: backward gives " + analytic + ", finite differences " + numeric);
        }
    }
}
