package io.glowspark.train;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Threads of ND4J's two native thread pools. ND4J 1.0.0-M2 starts with 4 OpenMP threads whatever OMP_NUM_THREADS
 * says, and OpenBLAS (the flow's gemm products) with one thread per core; with several training tasks per executor
 * both oversubscribe the cores, and OpenBLAS threads that wait for a core spin: a gemm ran 2x slower on a busy
 * machine. Set once per JVM; both settings are process-wide.
 */
public final class Nd4jThreads {

    private static volatile int configured;

    private Nd4jThreads() {
    }

    public static synchronized void use(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("OpenMP threads must be >= 1, got " + threads);
        }
        if (configured != threads) {
            Nd4j.getExecutioner(); // loads the native backend, which NativeOpsHolder needs
            NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
            Nd4j.factory().blas().setMaxThreads(threads);
            configured = threads;
        }
    }
}
