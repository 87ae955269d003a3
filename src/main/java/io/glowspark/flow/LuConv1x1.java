package io.glowspark.flow;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;
import java.util.Random;

/**
 * Invertible 1x1 convolution with an LU-decomposed matrix (Glow, section 3.2):
 * W = P L (U + diag(sign * exp(logS))), P and sign fixed, L unit lower triangular, U strictly upper triangular,
 * so that log|det W| = sum(logS) costs O(C) instead of O(C^3).
 */
public final class LuConv1x1 extends ChannelMixing {

    private final Parameter permutation;
    private final Parameter lower;
    private final Parameter upper;
    private final Parameter logS;
    private final Parameter signS;
    private final INDArray lowerMask;
    private final INDArray upperMask;
    private final INDArray identity;

    public LuConv1x1(String name, int channels) {
        super(channels);
        this.lower = Parameter.trainable(name + ".lower", channels, channels);
        this.upper = Parameter.trainable(name + ".upper", channels, channels);
        this.logS = Parameter.trainable(name + ".logS", channels);
        this.permutation = Parameter.fixed(name + ".permutation", channels, channels);
        this.signS = Parameter.fixed(name + ".signS", channels);
        double[][] mask = new double[channels][channels];
        for (int i = 0; i < channels; i++) {
            for (int j = 0; j < i; j++) {
                mask[i][j] = 1;
            }
        }
        this.lowerMask = Nd4j.createFromArray(mask);
        this.upperMask = lowerMask.transpose().dup();
        this.identity = Nd4j.eye(channels);
    }

    private INDArray fullLower() {
        INDArray l = lower.value();
        return l.mul(lowerMask.castTo(l.dataType())).addi(identity.castTo(l.dataType()));
    }

    private INDArray fullUpper() {
        INDArray u = upper.value();
        INDArray diagonal = Nd4j.diag(signS.value().mul(Transforms.exp(logS.value(), true)));
        return u.mul(upperMask.castTo(u.dataType())).addi(diagonal);
    }

    @Override
    protected INDArray weight() {
        return permutation.value().mmul(fullLower()).mmul(fullUpper());
    }

    @Override
    protected double logAbsDetWeight() {
        return logS.value().sumNumber().doubleValue();
    }

    @Override
    protected void backwardWeight(INDArray gradWeight, double gradLogAbsDet) {
        INDArray p = permutation.value();
        INDArray l = fullLower();
        INDArray u = fullUpper();
        INDArray gradL = p.transpose().mmul(gradWeight).mmul(u.transpose());
        INDArray gradU = p.mmul(l).transpose().mmul(gradWeight);
        lower.setGradient(gradL.muli(lowerMask.castTo(gradL.dataType())));
        INDArray gradDiagonal = Nd4j.diag(gradU).reshape(channels);
        INDArray gradLogS = gradDiagonal.muli(signS.value()).muli(Transforms.exp(logS.value(), true)).addi(gradLogAbsDet);
        upper.setGradient(gradU.muli(upperMask.castTo(gradU.dataType())));
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
