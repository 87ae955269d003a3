package io.glowspark.flow;

import org.nd4j.linalg.api.buffer.DataType;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The coupling layer's conditioner: 3x3 conv, ReLU, 1x1 conv, ReLU, 3x3 conv initialized to zero, so that every
 * coupling starts as the identity. With Glow's refinements ({@link GlowSpec.Conditioner}), ActNorm follows each hidden
 * convolution and the zero conv's output is scaled by a learned exp(k * logs). Not invertible itself; it only has
 * to be differentiable.
 *
 * <p>The hidden activations live as [hidden, N*H*W] matrices in native memory, so that every convolution, forward
 * and backward, is one large product ({@link NativeMatrix}): the first conv multiplies with the input's patch
 * matrix ({@link Patches#extract}); the zero conv multiplies its weights, as rows (output channel, tap), with the
 * hidden matrix and sums the shifted taps ({@link Patches#sumShifted}). Everything that touches only the
 * few input and output channels runs on the JVM. The parameters keep the usual [out, in, kH, kW] layout.
 */
final class CouplingNetwork {

    private static final double INIT_STD = 0.05;

    private final int inChannels;
    private final int hidden;
    private final int outChannels;
    private final Parameter weight1;
    private final Parameter weight2;
    private final ConvolutionProduct conv1;
    private final ConvolutionProduct conv2;
    private final Parameter weight3;
    private final Parameter bias3;
    private final LearnedScale scale3;
    private final Scratch scratch;

    private NativeMatrix patches;
    private NativeMatrix hidden1;
    private NativeMatrix h1;
    private NativeMatrix hidden2;
    private NativeMatrix tapWeights;
    private double[] taps;
    private double[] tapGradient;
    private double[] weightGradient;
    private Tensor out;
    private Tensor gradX;

    /**
     * The native buffers a pass needs only while it runs (the taps of the forward pass, every gradient of the
     * backward pass), shared by the coupling networks of one level: they run one after another, and these buffers
     * are most of a network's memory.
     */
    static final class Scratch {
        private NativeMatrix taps;
        private NativeMatrix gradTaps;
        private NativeMatrix gradTapWeights;
        private NativeMatrix gradH2;
        private NativeMatrix gradHidden1;
        private NativeMatrix gradH1;
        private NativeMatrix gradPatches;

        private void allocate(DataType type, int columns, int patchRows, int hidden, int tapRows) {
            taps = NativeMatrix.reuse(taps, type, tapRows, columns);
            gradTaps = NativeMatrix.reuse(gradTaps, type, tapRows, columns);
            gradTapWeights = NativeMatrix.reuse(gradTapWeights, type, tapRows, hidden);
            gradH2 = NativeMatrix.reuse(gradH2, type, hidden, columns);
            NativeMatrix previous = gradHidden1;
            gradHidden1 = NativeMatrix.reuse(gradHidden1, type, hidden + 1, columns);
            if (gradHidden1 != previous) {
                gradH1 = gradHidden1.topRows(hidden);
            }
            gradPatches = NativeMatrix.reuse(gradPatches, type, patchRows + 1, columns);
        }

        void release() {
            taps = NativeMatrix.release(taps);
            gradTaps = NativeMatrix.release(gradTaps);
            gradTapWeights = NativeMatrix.release(gradTapWeights);
            gradH2 = NativeMatrix.release(gradH2);
            gradH1 = NativeMatrix.release(gradH1);
            gradHidden1 = NativeMatrix.release(gradHidden1);
            gradPatches = NativeMatrix.release(gradPatches);
        }
    }

    CouplingNetwork(String name, int inChannels, int hidden, int outChannels, GlowSpec.Conditioner conditioner) {
        this(name, inChannels, hidden, outChannels, conditioner, new Scratch());
    }

    CouplingNetwork(String name, int inChannels, int hidden, int outChannels, GlowSpec.Conditioner conditioner,
                    Scratch scratch) {
        this.scratch = scratch;
        this.inChannels = inChannels;
        this.hidden = hidden;
        this.outChannels = outChannels;
        weight1 = Parameter.trainable(name + ".conv1.weight", hidden, inChannels, Patches.SIZE, Patches.SIZE);
        conv1 = new ConvolutionProduct(name + ".conv1", weight1, conditioner.hiddenActNorm());
        weight2 = Parameter.trainable(name + ".conv2.weight", hidden, hidden, 1, 1);
        conv2 = new ConvolutionProduct(name + ".conv2", weight2, conditioner.hiddenActNorm());
        weight3 = Parameter.trainable(name + ".zeroConv.weight", outChannels, hidden, Patches.SIZE, Patches.SIZE);
        bias3 = Parameter.trainable(name + ".zeroConv.bias", outChannels);
        scale3 = conditioner.logScaleFactor() > 0
                ? new LearnedScale(name + ".zeroConv.logScale", outChannels, conditioner.logScaleFactor()) : null;
    }

    Tensor forward(Tensor x) {
        return forward(x, false);
    }

    /** The forward pass that also initializes the hidden ActNorms from this batch, if there are any. */
    Tensor initializeFrom(Tensor x) {
        return forward(x, true);
    }

    private Tensor forward(Tensor x, boolean initialize) {
        allocate(weight1.dataType(), x.batch() * x.pixels());
        Patches.extract(x, 1, patches);
        hiddenForward(conv1, patches, h1, initialize);
        hiddenForward(conv2, hidden1, hidden2, initialize);
        tapWeights = NativeMatrix.of(tapWeights, weight3.dataType(), outChannels * Patches.TAPS, hidden,
                tapMatrix(weight3.read()));
        scratch.taps.assignProduct(tapWeights, false, hidden2, false);
        out = Tensor.reuse(out, x.batch(), outChannels, x.height(), x.width());
        Patches.sumShifted(scratch.taps, 1, out);
        addPerChannel(out, bias3.read());
        if (scale3 != null) {
            scale3.apply(out);
        }
        return out;
    }

    private static void hiddenForward(ConvolutionProduct layer, NativeMatrix input, NativeMatrix output, boolean initialize) {
        output.assignProduct(layer.matrix(), false, input, false);
        if (initialize && layer.hasActNorm()) {
            layer.initializeFrom(output);
            output.assignProduct(layer.matrix(), false, input, false);
        }
        output.relu();
    }

    /**
     * Backpropagates dL/d(output) of the last forward; returns dL/dx. The hidden activations are overwritten (by
     * ReLU masks) on the way: a second backward needs a new forward pass.
     */
    Tensor backward(Tensor gradOut) {
        Scratch s = scratch;
        s.allocate(weight1.dataType(), hidden2.columns(), inChannels * Patches.TAPS, hidden, outChannels * Patches.TAPS);
        Tensor gradPre = scale3 == null ? gradOut : scale3.backward(gradOut);
        bias3.setGradient(sumPerChannel(gradPre));
        Patches.extract(gradPre, -1, s.gradTaps);
        s.gradTapWeights.assignProduct(s.gradTaps, false, hidden2, true);
        weight3.setGradient(weightsFromTapMatrix(s.gradTapWeights));
        s.gradH2.assignProduct(tapWeights, true, s.gradTaps, false);
        s.gradH2.reluBackward(hidden2);

        conv2.backward(s.gradH2, hidden1);
        s.gradHidden1.assignProduct(conv2.lastMatrix(), true, s.gradH2, false);
        s.gradH1.reluBackward(h1);

        conv1.backward(s.gradH1, patches);
        s.gradPatches.assignProduct(conv1.lastMatrix(), true, s.gradH1, false);
        gradX = Tensor.reuse(gradX, out.batch(), inChannels, out.height(), out.width());
        Patches.sumShifted(s.gradPatches, -1, gradX);
        return gradX;
    }

    /** This network's own buffers for N*H*W columns, kept while the batch shape stays; rows of ones set once. */
    private void allocate(DataType type, int columns) {
        int patchRows = inChannels * Patches.TAPS;
        NativeMatrix previous = patches;
        patches = NativeMatrix.reuse(patches, type, patchRows + 1, columns);
        if (patches != previous) {
            patches.fillRow(patchRows, 1.0);
        }
        previous = hidden1;
        hidden1 = NativeMatrix.reuse(hidden1, type, hidden + 1, columns);
        if (hidden1 != previous) {
            hidden1.fillRow(hidden, 1.0);
            h1 = hidden1.topRows(hidden);
        }
        hidden2 = NativeMatrix.reuse(hidden2, type, hidden, columns);
        scratch.taps = NativeMatrix.reuse(scratch.taps, type, outChannels * Patches.TAPS, columns);
    }

    /** Frees this network's native buffers and those it shares with its level; the next pass allocates them again. */
    void releaseBuffers() {
        patches = NativeMatrix.release(patches);
        h1 = NativeMatrix.release(h1);
        hidden1 = NativeMatrix.release(hidden1);
        hidden2 = NativeMatrix.release(hidden2);
        tapWeights = NativeMatrix.release(tapWeights);
        conv1.releaseBuffers();
        conv2.releaseBuffers();
        scratch.release();
    }

    /** The zero conv's [out, in, 3, 3] weights as the matrix of rows (output channel, tap) over input channels. */
    private double[] tapMatrix(double[] w) {
        double[] t = taps = Tensor.reuse(taps, w.length);
        for (int o = 0; o < outChannels; o++) {
            for (int c = 0; c < hidden; c++) {
                for (int tap = 0; tap < Patches.TAPS; tap++) {
                    t[(o * Patches.TAPS + tap) * hidden + c] = w[(o * hidden + c) * Patches.TAPS + tap];
                }
            }
        }
        return t;
    }

    /** The inverse of {@link #tapMatrix}, for the gradient. */
    private double[] weightsFromTapMatrix(NativeMatrix m) {
        double[] t = tapGradient = Tensor.reuse(tapGradient, outChannels * Patches.TAPS * hidden);
        m.read(t);
        double[] w = weightGradient = Tensor.reuse(weightGradient, t.length);
        for (int o = 0; o < outChannels; o++) {
            for (int c = 0; c < hidden; c++) {
                for (int tap = 0; tap < Patches.TAPS; tap++) {
                    w[(o * hidden + c) * Patches.TAPS + tap] = t[(o * Patches.TAPS + tap) * hidden + c];
                }
            }
        }
        return w;
    }

    private static void addPerChannel(Tensor x, double[] values) {
        int map = x.pixels();
        for (int n = 0; n < x.batch(); n++) {
            for (int c = 0; c < x.channels(); c++) {
                for (int i = x.offset(n, c), end = i + map; i < end; i++) {
                    x.data()[i] += values[c];
                }
            }
        }
    }

    private static double[] sumPerChannel(Tensor x) {
        double[] sums = new double[x.channels()];
        int map = x.pixels();
        for (int n = 0; n < x.batch(); n++) {
            for (int c = 0; c < x.channels(); c++) {
                for (int i = x.offset(n, c), end = i + map; i < end; i++) {
                    sums[c] += x.data()[i];
                }
            }
        }
        return sums;
    }

    void initializeParameters(Random rng) {
        for (Parameter w : List.of(weight1, weight2)) {
            double[] values = new double[(int) w.length()];
            for (int i = 0; i < values.length; i++) {
                values[i] = INIT_STD * rng.nextGaussian();
            }
            w.assign(values);
        }
        conv1.initializeZeros();
        conv2.initializeZeros();
        weight3.assign(0);
        bias3.assign(0);
        if (scale3 != null) {
            scale3.initialize();
        }
    }

    List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>();
        all.add(weight1);
        all.addAll(conv1.ownParameters());
        all.add(weight2);
        all.addAll(conv2.ownParameters());
        all.add(weight3);
        all.add(bias3);
        if (scale3 != null) {
            all.add(scale3.parameter());
        }
        return all;
    }
}
