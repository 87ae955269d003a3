package io.glowspark.train;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Threads of ND4J's two native thread pools. ND4J 1.0.0-M2 starts with 4 OpenMP threads whatever OMP_NUM_THREADS
 * says, and OpenBLAS (the flow's gemm products) with one thread per core; with several training tasks per executor
 * both oversubscribe the cores, and OpenBLAS threads that wait for a core spin: a gemm ran 2x slower on a busy
 * machine.
 *
 * <p>OpenMP keeps its setting per thread, so every thread that runs ND4J ops calls this. A Spark task thread that
 * did not call it ran libnd4j's parallel ops on a team of one thread per core: a second native thread beside each
 * task. The OpenBLAS setting is process-wide.
 */
public final class Nd4jThreads {

    private static final ThreadLocal<Integer> openMpThreads = new ThreadLocal<>();
    private static int blasThreads;

    private Nd4jThreads() {
    }

    public static void use(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("OpenMP threads must be >= 1, got " + threads);
        }
        Integer current = openMpThreads.get();
        if (current == null || current != threads) {
            Nd4j.getExecutioner(); // loads the native backend, which NativeOpsHolder needs
            NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
            openMpThreads.set(threads);
        }
        useBlasThreads(threads);
    }

    private static synchronized void useBlasThreads(int threads) {
        if (blasThreads != threads) {
            Nd4j.factory().blas().setMaxThreads(threads);
            blasThreads = threads;
        }
    }
}
