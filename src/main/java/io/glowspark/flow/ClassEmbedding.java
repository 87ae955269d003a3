package io.glowspark.flow;

import java.util.Arrays;
import java.util.List;

/**
 * Glow's class conditioning of a prior (its ycond option): a zero-initialized linear map from the one-hot class of an
 * example to a shift of the prior's parameters, the same at every pixel of a channel. With a log-scale factor its
 * output is scaled by exp(factor * logs) per channel, as Glow's linear_zeros is. A one-hot input makes the map a
 * row lookup, and a bias would only repeat what every row can learn.
 */
final class ClassEmbedding {

    private final int channels;
    private final Parameter embedding;
    private final LearnedScale scale;
    private int[] labels;
    private Tensor embedded;
    private Tensor gradEmbedded;
    private double[] gradEmbedding;

    /** A map from {@code classes} classes to a shift of each of {@code channels} channels. */
    ClassEmbedding(String name, int classes, int channels, double logScaleFactor) {
        this.channels = channels;
        this.embedding = Parameter.trainable(name + ".embedding", classes, channels);
        this.scale = logScaleFactor > 0 ? new LearnedScale(name + ".logScale", channels, logScaleFactor) : null;
    }

    /**
     * The parameters {@code base} (batch 1, shared by every example, or one per example) shifted at every pixel by
     * each example's class embedding, into {@code into} (reused when it has the shape). The labels, valid classes,
     * are kept for {@link #backward}.
     */
    Tensor shift(Tensor base, int[] labels, Tensor into) {
        int n = labels.length;
        this.labels = Arrays.copyOf(labels, n);
        double[] rows = embedding.read();
        embedded = Tensor.reuse(embedded, n, channels, 1, 1);
        for (int i = 0; i < n; i++) {
            System.arraycopy(rows, labels[i] * channels, embedded.data(), i * channels, channels);
        }
        if (scale != null) {
            scale.apply(embedded);
        }
        Tensor out = Tensor.reuse(into, n, channels, base.height(), base.width());
        int map = base.pixels();
        for (int i = 0; i < n; i++) {
            int example = base.batch() == 1 ? 0 : i;
            for (int c = 0; c < channels; c++) {
                double shift = embedded.data()[i * channels + c];
                for (int from = base.offset(example, c), to = out.offset(i, c), end = to + map; to < end; from++, to++) {
                    out.data()[to] = base.data()[from] + shift;
                }
            }
        }
        return out;
    }

    /** Given dL/d(shifted parameters) of the last {@link #shift}, stores the gradients of the map and its scale. */
    void backward(Tensor gradShifted) {
        int n = labels.length;
        gradEmbedded = Tensor.reuse(gradEmbedded, n, channels, 1, 1);
        int map = gradShifted.pixels();
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                double sum = 0;
                for (int j = gradShifted.offset(i, c), end = j + map; j < end; j++) {
                    sum += gradShifted.data()[j];
                }
                gradEmbedded.data()[i * channels + c] = sum;
            }
        }
        Tensor gradUnscaled = scale == null ? gradEmbedded : scale.backward(gradEmbedded);
        gradEmbedding = Tensor.reuse(gradEmbedding, Math.toIntExact(embedding.length()));
        Arrays.fill(gradEmbedding, 0.0);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                gradEmbedding[labels[i] * channels + c] += gradUnscaled.data()[i * channels + c];
            }
        }
        embedding.setGradient(gradEmbedding);
    }

    void initializeParameters() {
        embedding.assign(0);
        if (scale != null) {
            scale.initialize();
        }
    }

    List<Parameter> parameters() {
        return scale == null ? List.of(embedding) : List.of(embedding, scale.parameter());
    }
}
