package io.glowspark.flow;

import java.util.List;
import java.util.Random;

/**
 * Invertible 1x1 convolution with an LU-decomposed matrix (Glow, section 3.2):
 * W = P L (U + diag(sign * exp(logS))), P and sign fixed, L unit lower triangular, U strictly upper triangular,
 * so that log|det W| = sum(logS) costs O(C) instead of O(C^3).
 *
 * <p>W and the gradients of its factors are C x C, so they are computed on the JVM ({@link SmallMatrix}).
 */
public final class LuConv1x1 extends ChannelMixing {

    private final Parameter permutation;
    private final Parameter lower;
    private final Parameter upper;
    private final Parameter logS;
    private final Parameter signS;
    private Factors lastFactors;

    /** P, and L and U with their diagonals (U's is sign * exp(logS)), from the current parameters; log|det W|. */
    private record Factors(double[][] p, double[][] l, double[][] u, double sumLogS) {
    }

    public LuConv1x1(String name, int channels) {
        super(channels);
        this.lower = Parameter.trainable(name + ".lower", channels, channels);
        this.upper = Parameter.trainable(name + ".upper", channels, channels);
        this.logS = Parameter.trainable(name + ".logS", channels);
        this.permutation = Parameter.fixed(name + ".permutation", channels, channels);
        this.signS = Parameter.fixed(name + ".signS", channels);
    }

    private Factors factors() {
        double[][] l = SmallMatrix.unflatten(lower.read(), channels, channels);
        double[][] u = SmallMatrix.unflatten(upper.read(), channels, channels);
        double[] log = logS.read();
        double[] sign = signS.read();
        for (int i = 0; i < channels; i++) {
            l[i][i] = 1;
            u[i][i] = sign[i] * Math.exp(log[i]);
            for (int j = 0; j < i; j++) {
                l[j][i] = 0;
                u[i][j] = 0;
            }
        }
        return new Factors(SmallMatrix.unflatten(permutation.read(), channels, channels), l, u, sumOf(log));
    }

    private static double sumOf(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum;
    }

    @Override
    protected double[][] weight() {
        Factors f = factors();
        lastFactors = f;
        return SmallMatrix.multiply(SmallMatrix.multiply(f.p(), f.l()), f.u());
    }

    @Override
    protected double logAbsDetWeight() {
        return lastFactors.sumLogS();
    }

    @Override
    protected void backwardWeight(double[][] g, double gradLogAbsDet) {
        Factors f = lastFactors;
        double[][] gradL = SmallMatrix.multiply(SmallMatrix.multiply(SmallMatrix.transpose(f.p()), g), SmallMatrix.transpose(f.u()));
        double[][] gradU = SmallMatrix.multiply(SmallMatrix.transpose(SmallMatrix.multiply(f.p(), f.l())), g);
        double[] gradLower = new double[channels * channels];
        double[] gradUpper = new double[channels * channels];
        double[] gradLogS = new double[channels];
        for (int i = 0; i < channels; i++) {
            for (int j = 0; j < channels; j++) {
                if (j < i) {
                    gradLower[i * channels + j] = gradL[i][j];
                } else if (j > i) {
                    gradUpper[i * channels + j] = gradU[i][j];
                }
            }
            // d(sign * exp(logS))/d(logS) is the diagonal entry itself
            gradLogS[i] = gradU[i][i] * f.u()[i][i] + gradLogAbsDet;
        }
        lower.setGradient(gradLower);
        upper.setGradient(gradUpper);
        logS.setGradient(gradLogS);
    }

    @Override
    public void initializeParameters(Random rng) {
        SmallMatrix.Lu lu = SmallMatrix.lu(SmallMatrix.randomOrthogonal(channels, rng));
        double[] sign = new double[channels];
        double[] log = new double[channels];
        for (int i = 0; i < channels; i++) {
            double s = lu.u()[i][i];
            sign[i] = Math.signum(s);
            log[i] = Math.log(Math.abs(s));
        }
        permutation.assign(SmallMatrix.flatten(lu.p()));
        lower.assign(SmallMatrix.flatten(lu.l()));
        upper.assign(SmallMatrix.flatten(lu.u()));
        logS.assign(log);
        signS.assign(sign);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(lower, upper, logS, permutation, signS);
    }
}
