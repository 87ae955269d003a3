package io.glowspark.flow;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A row-major matrix in native memory, in the model's data type (float in training, double in gradient checks): the
 * operands and results of the coupling network's products. Products run in libnd4j's matmul op, which uses oneDNN's
 * kernels for float (about twice the GFLOP/s of the bundled OpenBLAS here); each matrix keeps the op's context for
 * the product it is the result of, since building an op per call costs more than a small product.
 *
 * <p>Allocated outside DL4J's workspaces and reused across iterations while the batch shape stays the same.
 */
final class NativeMatrix {

    private final INDArray array;
    private final boolean ownsMemory;
    private final NdArrays memory;
    private final int rows;
    private final int columns;
    private DynamicCustomOp matmul;
    private OpContext context;

    private NativeMatrix(INDArray array, boolean ownsMemory) {
        this.array = array;
        this.ownsMemory = ownsMemory;
        this.memory = NdArrays.of(array);
        this.rows = Math.toIntExact(array.size(0));
        this.columns = Math.toIntExact(array.size(1));
    }

    static NativeMatrix zeros(DataType type, int rows, int columns) {
        return new NativeMatrix(NdArrays.zeros(type, rows, columns), true);
    }

    /** {@code previous} if it has this type and shape, else a new zero matrix. */
    static NativeMatrix reuse(NativeMatrix previous, DataType type, int rows, int columns) {
        if (previous != null && previous.rows == rows && previous.columns == columns && previous.type() == type) {
            return previous;
        }
        release(previous);
        return zeros(type, rows, columns);
    }

    /** A matrix of the given values (row-major), e.g. weights built on the JVM, reusing {@code previous} if it fits. */
    static NativeMatrix of(NativeMatrix previous, DataType type, int rows, int columns, double[] values) {
        NativeMatrix m = reuse(previous, type, rows, columns);
        m.write(values);
        return m;
    }

    /** The first {@code count} rows as a matrix of their own over the same memory. */
    NativeMatrix topRows(int count) {
        return new NativeMatrix(array.get(NDArrayIndex.interval(0, count), NDArrayIndex.all()), false);
    }

    int rows() {
        return rows;
    }

    int columns() {
        return columns;
    }

    DataType type() {
        return array.dataType();
    }

    INDArray array() {
        return array;
    }

    void fillRow(int row, double value) {
        array.getRow(row).assign(value);
    }

    void readRow(int row, double[] dst) {
        memory.read(row * columns, dst, 0, columns);
    }

    void writeRow(int row, double[] src) {
        memory.write(src, 0, row * columns, columns);
    }

    void read(double[] dst) {
        memory.read(dst);
    }

    void write(double[] src) {
        memory.write(src);
    }

    /** Row c is channel c of every example: [C, N*H*W] into an NCHW tensor. */
    void readChannels(Tensor out) {
        int map = out.pixels();
        for (int c = 0; c < out.channels(); c++) {
            for (int n = 0; n < out.batch(); n++) {
                memory.read(c * columns + n * map, out.data(), out.offset(n, c), map);
            }
        }
    }

    /** An NCHW tensor into rows [0, C): row c is channel c of every example. */
    void writeChannels(Tensor in) {
        int map = in.pixels();
        for (int c = 0; c < in.channels(); c++) {
            for (int n = 0; n < in.batch(); n++) {
                memory.write(in.data(), in.offset(n, c), c * columns + n * map, map);
            }
        }
    }

    /** this = op(a) x op(b), where op transposes when asked. */
    void assignProduct(NativeMatrix a, boolean transposeA, NativeMatrix b, boolean transposeB) {
        int inner = transposeA ? a.rows : a.columns;
        if ((transposeA ? a.columns : a.rows) != rows || (transposeB ? b.rows : b.columns) != columns
                || (transposeB ? b.columns : b.rows) != inner) {
            throw new IllegalArgumentException("cannot multiply " + a.shape(transposeA) + " by " + b.shape(transposeB)
                    + " into " + shape(false));
        }
        if (context == null) {
            matmul = DynamicCustomOp.builder("matmul").build();
            context = Nd4j.getExecutioner().buildContext();
            context.setOutputArrays(array);
        }
        context.setInputArrays(a.array, b.array);
        context.setIArguments(transposeA ? 1 : 0, transposeB ? 1 : 0);
        Nd4j.exec(matmul, context);
    }

    /** max(this, 0), in place. */
    void relu() {
        Transforms.relu(array, false);
    }

    /**
     * Backpropagates a ReLU: this (the gradient of its output) times 1[activation > 0], where activation is the
     * ReLU's output. The activation is overwritten with that mask (two native passes; a fused Java loop was slower
     * here): call this when it is no longer needed.
     */
    void reluBackward(NativeMatrix activation) {
        Transforms.step(activation.array, false);
        array.muli(activation.array);
    }

    private String shape(boolean transposed) {
        return transposed ? "[" + columns + ", " + rows + "]^T" : "[" + rows + ", " + columns + "]";
    }

    /**
     * Frees a matrix's native memory now rather than when the garbage collector gets to it (a view frees only its op
     * context; its memory belongs to the matrix it views). Returns null, for the owner's field: the matrix must not
     * be used again.
     */
    static NativeMatrix release(NativeMatrix m) {
        if (m == null) {
            return null;
        }
        if (m.context != null) {
            try {
                m.context.close();
            } catch (Exception e) {
                throw new IllegalStateException("could not release an ND4J op context", e);
            }
        }
        if (m.ownsMemory && m.array.closeable()) {
            m.array.close();
        }
        return null;
    }
}
