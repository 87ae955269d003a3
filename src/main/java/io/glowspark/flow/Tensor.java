package io.glowspark.flow;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * A batch of NCHW feature maps in double precision on the Java heap, row-major: what the bijectors compute on.
 *
 * <p>The flow's element-wise work (ActNorm, channel mixing, coupling arithmetic, priors) is a few passes over arrays
 * of tens of thousands of values. Plain Java loops do it at memory speed; ND4J spent more on each op's bookkeeping
 * than on its arithmetic. Only the coupling network's large products leave the heap ({@link NativeMatrix}).
 */
public final class Tensor {

    private final int batch;
    private final int channels;
    private final int height;
    private final int width;
    private final double[] data;

    public Tensor(int batch, int channels, int height, int width) {
        this.batch = batch;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.data = new double[Math.multiplyExact(Math.multiplyExact(batch, channels), height * width)];
    }

    /**
     * {@code previous} if it has this shape, else a new zero tensor: lets a bijector keep one buffer per output
     * across iterations instead of allocating one per call. The old contents are left as they are.
     */
    static Tensor reuse(Tensor previous, int batch, int channels, int height, int width) {
        return previous != null && previous.hasShape(batch, channels, height, width)
                ? previous : new Tensor(batch, channels, height, width);
    }

    /** {@code previous} if it has this length, else a new zero array: the per-example counterpart of the above. */
    static double[] reuse(double[] previous, int length) {
        return previous != null && previous.length == length ? previous : new double[length];
    }

    /** A copy of a rank-4 ND4J array. */
    public static Tensor of(INDArray nchw) {
        return copyOf(nchw, null);
    }

    /** A copy of a rank-4 ND4J array into {@code into} when it has the shape (else into a new tensor). */
    static Tensor copyOf(INDArray nchw, Tensor into) {
        if (nchw.rank() != 4) {
            throw new IllegalArgumentException("expected an NCHW array, got shape " + Arrays.toString(nchw.shape()));
        }
        Tensor t = reuse(into, (int) nchw.size(0), (int) nchw.size(1), (int) nchw.size(2), (int) nchw.size(3));
        INDArray source = nchw.ordering() == 'c' && !nchw.isView() ? nchw : nchw.dup('c');
        NdArrays.of(source).read(t.data);
        return t;
    }

    /** A copy as a new ND4J array of the given type, outside any workspace. */
    public INDArray toNd4j(DataType type) {
        return NdArrays.detached(() -> Nd4j.create(data, new long[]{batch, channels, height, width}, type));
    }

    public int batch() {
        return batch;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** Pixels per channel map. */
    public int pixels() {
        return height * width;
    }

    /** Values per example. */
    public int perExample() {
        return channels * height * width;
    }

    /** The values, row-major over (n, c, y, x); the tensor's own storage, not a copy. */
    public double[] data() {
        return data;
    }

    /** Offset of the first value of channel map (n, c) in {@link #data()}. */
    public int offset(int n, int c) {
        return (n * channels + c) * height * width;
    }

    public boolean hasShape(int batch, int channels, int height, int width) {
        return this.batch == batch && this.channels == channels && this.height == height && this.width == width;
    }

    public boolean hasShapeOf(Tensor other) {
        return hasShape(other.batch, other.channels, other.height, other.width);
    }

    public Tensor copy() {
        Tensor t = new Tensor(batch, channels, height, width);
        System.arraycopy(data, 0, t.data, 0, data.length);
        return t;
    }

    /** Channels [from, from + count) of this tensor, copied into {@code into} (reused when it has the shape). */
    Tensor channels(int from, int count, Tensor into) {
        Tensor out = reuse(into, batch, count, height, width);
        int map = pixels();
        for (int n = 0; n < batch; n++) {
            System.arraycopy(data, offset(n, from), out.data, out.offset(n, 0), count * map);
        }
        return out;
    }

    /** Writes {@code part} into channels [from, from + part.channels()) of this tensor. */
    void setChannels(int from, Tensor part) {
        int map = pixels();
        for (int n = 0; n < batch; n++) {
            System.arraycopy(part.data, part.offset(n, 0), data, offset(n, from), part.channels * map);
        }
    }

    @Override
    public String toString() {
        return "Tensor[" + batch + ", " + channels + ", " + height + ", " + width + "]";
    }
}
