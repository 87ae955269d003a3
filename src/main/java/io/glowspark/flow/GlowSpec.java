package io.glowspark.flow;

import java.io.Serializable;

/**
 * The shape of a Glow model: input image shape and the multi-scale architecture.
 *
 * @param channels       input channels (1 for MNIST)
 * @param height         input height in pixels
 * @param width          input width in pixels
 * @param levels         multi-scale levels, each starting with a 2x2 squeeze
 * @param stepsPerLevel  flow steps (ActNorm, 1x1 conv, coupling) per level
 * @param hiddenChannels channels of the coupling network's hidden layers
 * @param coupling       coupling transform
 * @param permutation    channel mixing before each coupling
 * @param conditioner    Glow's refinements of the coupling network and the split prior, or none
 * @param nBits          bits per pixel of the quantized data the model is trained on
 * @param classes        what the priors are conditioned on: the image's class, or nothing
 */
public record GlowSpec(int channels, int height, int width, int levels, int stepsPerLevel, int hiddenChannels,
                       Coupling coupling, Permutation permutation, Conditioner conditioner, int nBits,
                       ClassConditioning classes) implements Serializable {

    public enum Coupling { AFFINE, ADDITIVE }

    public enum Permutation { LU, PLAIN, REVERSE }

    /**
     * The parts of Glow's conditioner (Kingma and Dhariwal's code) beyond plain convolutions: ActNorm after each
     * hidden convolution of the coupling network, and a learned per-channel output scale exp(logScaleFactor * logs)
     * on the zero-initialized convolutions (the coupling network's last layer and the split prior); 0 means none.
     */
    public record Conditioner(boolean hiddenActNorm, double logScaleFactor) implements Serializable {

        /** Plain convolutions with biases: no ActNorm in the network, no output scale. */
        public static final Conditioner PLAIN = new Conditioner(false, 0);
        /** Glow's: ActNorm after the hidden convolutions, output scale exp(3 * logs). */
        public static final Conditioner GLOW = new Conditioner(true, 3);

        public Conditioner {
            require(logScaleFactor >= 0 && Double.isFinite(logScaleFactor),
                    "the log-scale factor must be finite and >= 0, got " + logScaleFactor);
        }
    }

    /**
     * Glow's class conditioning (its ycond option): a learned, zero-initialized map from the one-hot class of an
     * image to a shift of the top prior's mean and log-sd per channel, and optionally of every split prior's. The
     * flow itself does not depend on the class, so one encoding serves every class.
     *
     * @param count       number of classes, labelled 0..count-1; 0 for an unconditional model
     * @param splitPriors whether the split priors are conditioned too
     */
    public record ClassConditioning(int count, boolean splitPriors) implements Serializable {

        /** An unconditional model: no class anywhere. */
        public static final ClassConditioning NONE = new ClassConditioning(0, false);

        public ClassConditioning {
            require(count == 0 || count >= 2, "a class-conditional model needs at least 2 classes, got " + count);
            require(count > 0 || !splitPriors, "the split priors can only be conditioned in a class-conditional model");
        }

        public boolean conditional() {
            return count > 0;
        }
    }

    /** An unconditional model. */
    public GlowSpec(int channels, int height, int width, int levels, int stepsPerLevel, int hiddenChannels,
                    Coupling coupling, Permutation permutation, Conditioner conditioner, int nBits) {
        this(channels, height, width, levels, stepsPerLevel, hiddenChannels, coupling, permutation, conditioner, nBits,
                ClassConditioning.NONE);
    }

    public GlowSpec {
        require(channels >= 1, "channels must be >= 1, got " + channels);
        require(conditioner != null, "a conditioner is required (Conditioner.PLAIN for none)");
        require(classes != null, "a class conditioning is required (ClassConditioning.NONE for none)");
        require(levels >= 1, "levels must be >= 1, got " + levels);
        require(stepsPerLevel >= 1, "steps per level must be >= 1, got " + stepsPerLevel);
        require(hiddenChannels >= 1, "hidden channels must be >= 1, got " + hiddenChannels);
        require(nBits >= 1 && nBits <= 8, "n-bits must be in 1..8, got " + nBits);
        require(levels <= maxLevels(height, width),
                "levels must be in 1.." + maxLevels(height, width) + " for " + height + "x" + width + " images, got " + levels);
    }

    /** How many times a height x width image can be squeezed (halved evenly in both directions). */
    public static int maxLevels(int height, int width) {
        int n = 0;
        while (height % 2 == 0 && width % 2 == 0 && height > 1 && width > 1) {
            height /= 2;
            width /= 2;
            n++;
        }
        return n;
    }

    /** Number of dimensions of one image: the D in bits per dimension. */
    public int dimensions() {
        return channels * height * width;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
