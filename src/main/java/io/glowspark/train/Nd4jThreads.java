package io.glowspark.train;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * ND4J 1.0.0-M2 starts with 4 OpenMP threads whatever OMP_NUM_THREADS says; with several training tasks per
 * executor that oversubscribes the cores and makes small ops many times slower. Set once per JVM.
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
            configured = threads;
        }
    }
}
