package io.glowspark.flow;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
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
 * numerically computed Jacobian (by a QR decomposition independent of the code under test), and a backward pass equal to central finite differences for the input and
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

    /** Moves every trainable parameter away from its (often symmetric or zero) initial value. */
    public static void perturb(ParameterLayout layout, long seed) {
        Random rng = new Random(seed);
        for (Parameter p : layout.parameters()) {
            if (p.isTrainable()) {
                INDArray v = p.value();
                for (long i = 0; i < v.length(); i++) {
                    v.putScalar(i, v.getDouble(i) + 0.1 * rng.nextGaussian());
                }
            }
        }
    }

    /** A bijector with bound, initialized (also from data) and perturbed parameters. */
    static ParameterLayout prepare(Bijector b, INDArray data, long seed) {
        ParameterLayout layout = bind(b.parameters(), () -> b.initializeParameters(new Random(seed)));
        b.initializeFrom(data);
        perturb(layout, seed);
        return layout;
    }

    static INDArray randomInput(long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.DOUBLE, shape);
    }

    static void assertInverse(Bijector b, INDArray x, double tolerance) {
        INDArray y = b.forward(x).y();
        double error = b.inverse(y).sub(x).amaxNumber().doubleValue();
        assertTrue(error <= tolerance, "max |f^-1(f(x)) - x| = " + error + " > " + tolerance);
    }

    /** x must hold a single example small enough for a dense Jacobian. */
    static void assertLogDetMatchesJacobian(Bijector b, INDArray x) {
        int d = (int) x.length();
        double[][] jacobian = new double[d][d];
        for (int j = 0; j < d; j++) {
            double original = x.getDouble(j);
            x.putScalar(j, original + EPS);
            INDArray plus = b.forward(x).y().dup().reshape(d);
            x.putScalar(j, original - EPS);
            INDArray minus = b.forward(x).y().dup().reshape(d);
            x.putScalar(j, original);
            for (int i = 0; i < d; i++) {
                jacobian[i][j] = (plus.getDouble(i) - minus.getDouble(i)) / (2 * EPS);
            }
        }
        assertEquals(logAbsDet(jacobian), b.forward(x).logDet().getDouble(0), 1e-6, "log-det against the numerical Jacobian");
    }

    /**
     * log|det| of a square matrix from commons-math's QR decomposition: sum of log|R_ii|. An oracle independent of
     * {@link SmallMatrix} (LU), which the 1x1 convolutions use for their own log-det.
     */
    static double logAbsDet(double[][] matrix) {
        RealMatrix r = new QRDecomposition(new Array2DRowRealMatrix(matrix)).getR();
        double sum = 0;
        for (int i = 0; i < matrix.length; i++) {
            sum += Math.log(Math.abs(r.getEntry(i, i)));
        }
        return sum;
    }

    /** Checks backward against finite differences of L = sum(y * R) + sum(logDet * r) for random R and r. */
    static void assertGradients(Bijector b, ParameterLayout layout, INDArray x) {
        FlowOutput out = b.forward(x);
        INDArray weightY = randomInput(7, out.y().shape());
        INDArray weightLogDet = randomInput(8, out.logDet().shape());
        ToDoubleFunction<INDArray> loss = input -> {
            FlowOutput o = b.forward(input);
            return o.y().mul(weightY).sumNumber().doubleValue() + o.logDet().mul(weightLogDet).sumNumber().doubleValue();
        };
        b.forward(x);
        INDArray gradX = b.backward(weightY, weightLogDet).dup();
        assertMatchesFiniteDifferences("input", x, gradX, () -> loss.applyAsDouble(x), Integer.MAX_VALUE);
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
            double numeric = (plus - minus) / (2 * EPS);
            double a = flatGrad.getDouble(i);
            if (Math.abs(a - numeric) > 1e-6 + 1e-5 * Math.abs(numeric)) {
                fail(what + "[" + i + "]: backward gives " + a + ", finite differences " + numeric);
            }
        }
    }
}
