package io.glowspark.train;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

import static org.junit.jupiter.api.Assertions.assertEquals;

class Nd4jThreadsTest {

    @Test
    void setsBothOpenMpAndBlasThreads() {
        for (int threads : new int[]{2, 1}) {
            Nd4jThreads.use(threads);
            assertEquals(threads, NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads(), "OpenMP");
            assertEquals(threads, Nd4j.factory().blas().getMaxThreads(), "BLAS");
        }
    }
}
