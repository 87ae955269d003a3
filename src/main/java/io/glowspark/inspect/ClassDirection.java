package io.glowspark.inspect;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A class direction in latent space, as the Glow paper manipulates attributes: the mean latent of one class's images
 * minus that of another's, every level's latent, the images going through the encoder. Moving an image's latent
 * along it by alpha > 0 adds what tells the first class from the second. Unconditional and class-conditional models
 * alike: the latents do not depend on the class.
 */
public final class ClassDirection {

    /** The strip's alpha runs from LOWEST to HIGHEST: back past the image, and beyond a full class difference. */
    public static final double LOWEST = -1;
    public static final double HIGHEST = 1.5;

    private final TrainedGlow model;
    private final List<INDArray> direction;
    private final int towardImages;
    private final int awayFromImages;

    private ClassDirection(TrainedGlow model, List<INDArray> direction, int towardImages, int awayFromImages) {
        this.model = model;
        this.direction = direction;
        this.towardImages = towardImages;
        this.awayFromImages = awayFromImages;
    }

    /**
     * The mean latent of class {@code toward} minus that of class {@code awayFrom}, each over the first
     * {@code perClass} images of the class in {@code images} (a run's training set).
     */
    public static ClassDirection between(TrainedGlow model, TestSet images, int toward, int awayFrom, int perClass) {
        INDArray a = images.imagesOfClass(toward, perClass);
        INDArray b = images.imagesOfClass(awayFrom, perClass);
        List<INDArray> meanA = model.meanLatent(a);
        List<INDArray> meanB = model.meanLatent(b);
        List<INDArray> direction = new ArrayList<>();
        for (int level = 0; level < meanA.size(); level++) {
            direction.add(meanA.get(level).sub(meanB.get(level)));
        }
        return new ClassDirection(model, direction, (int) a.size(0), (int) b.size(0));
    }

    /** Every level's direction, top level last, each [1, C, H, W]. */
    public List<INDArray> latents() {
        return direction;
    }

    /** Images of the first class the mean was taken over. */
    public int towardImages() {
        return towardImages;
    }

    public int awayFromImages() {
        return awayFromImages;
    }

    /** {@code steps} alphas evenly spaced from {@link #LOWEST} to {@link #HIGHEST}. */
    public static double[] alphas(int steps) {
        if (steps < 2) {
            throw new IllegalArgumentException("a strip needs at least 2 steps, got " + steps);
        }
        double[] alphas = new double[steps];
        for (int i = 0; i < steps; i++) {
            alphas[i] = LOWEST + (HIGHEST - LOWEST) * i / (steps - 1);
        }
        return alphas;
    }

    /** The alphas of a strip of {@code steps} images, as text, to two significant digits. */
    public static String alphaRange(int steps) {
        return Arrays.stream(alphas(steps))
                .mapToObj(v -> new BigDecimal(v).round(new MathContext(2)).stripTrailingZeros().toPlainString())
                .collect(Collectors.joining(", "));
    }

    /** One image [1, C, H, W] moved along the direction by each alpha of {@link #alphas}: [steps, C, H, W]. */
    public INDArray strip(INDArray image, int steps) {
        return model.alongDirection(image, direction, alphas(steps));
    }
}
