package io.glowspark.flow;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Bulk access to the values of a contiguous ND4J array (float or double, in native memory) from Java double arrays,
 * through a view of its memory made once. Float values are widened and narrowed in chunks through a small buffer, so
 * a copy is two tight loops rather than one native call per value. One instance serves one thread.
 */
final class NdArrays {

    private static final int CHUNK = 4096;

    private final INDArray array;
    private final FloatBuffer floats;
    private final DoubleBuffer doubles;
    private final int base;
    private final int length;
    private float[] chunk;

    private NdArrays(INDArray array) {
        if (!isContiguous(array)) {
            throw new IllegalArgumentException("expected a contiguous row-major array, got shape "
                    + Arrays.toString(array.shape()) + " strides " + Arrays.toString(array.stride()));
        }
        this.array = array;
        this.length = Math.toIntExact(array.length());
        if (array.dataType() == DataType.DOUBLE) {
            doubles = array.data().asNioDouble();
            floats = null;
            base = doubles.position();
        } else if (array.dataType() == DataType.FLOAT) {
            floats = array.data().asNioFloat();
            doubles = null;
            base = floats.position();
        } else {
            throw new IllegalArgumentException("expected a float or double array, got " + array.dataType());
        }
    }

    /** A view for bulk copies of this array's values; the array must stay allocated while the view is used. */
    static NdArrays of(INDArray array) {
        return new NdArrays(array);
    }

    /** Runs an allocation outside any workspace: the array stays valid however long its owner keeps it. */
    static INDArray detached(Supplier<INDArray> allocation) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return allocation.get();
        }
    }

    /** A new zero-filled array outside any workspace. */
    static INDArray zeros(DataType type, long... shape) {
        return detached(() -> Nd4j.create(type, shape));
    }

    INDArray array() {
        return array;
    }

    int length() {
        return length;
    }

    /** Copies values [from, from + count) (row-major order) into dst[at, at + count). */
    void read(int from, double[] dst, int at, int count) {
        if (doubles != null) {
            doubles.get(base + from, dst, at, count);
            return;
        }
        float[] c = chunk();
        for (int done = 0; done < count; done += CHUNK) {
            int len = Math.min(CHUNK, count - done);
            floats.get(base + from + done, c, 0, len);
            for (int i = 0; i < len; i++) {
                dst[at + done + i] = c[i];
            }
        }
    }

    /** Copies src[at, at + count) into values [from, from + count) (row-major order). */
    void write(double[] src, int at, int from, int count) {
        if (doubles != null) {
            doubles.put(base + from, src, at, count);
            return;
        }
        float[] c = chunk();
        for (int done = 0; done < count; done += CHUNK) {
            int len = Math.min(CHUNK, count - done);
            for (int i = 0; i < len; i++) {
                c[i] = (float) src[at + done + i];
            }
            floats.put(base + from + done, c, 0, len);
        }
    }

    void read(double[] dst) {
        read(0, dst, 0, length);
    }

    void write(double[] src) {
        write(src, 0, 0, length);
    }

    private float[] chunk() {
        if (chunk == null) {
            chunk = new float[CHUNK];
        }
        return chunk;
    }

    /** Row-major without gaps: every dimension longer than 1 strides over exactly the dimensions after it. */
    private static boolean isContiguous(INDArray a) {
        long expected = 1;
        for (int d = a.rank() - 1; d >= 0; d--) {
            if (a.size(d) > 1 && a.stride(d) != expected) {
                return false;
            }
            expected *= a.size(d);
        }
        return true;
    }
}
