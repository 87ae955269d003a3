package io.glowspark.train;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.api.DataSet;
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

    @Test
    void everyThreadSetsItsOwnOpenMpThreads() throws InterruptedException {
        Nd4jThreads.use(1);
        assertEquals(1, ompMaxThreadsOfANewThreadAfter(() -> Nd4jThreads.use(1)),
                "a thread that did not set its own runs libnd4j's parallel ops on a team of one thread per core");
    }

    @Test
    void theTrainingHookSetsTheThreadsOfTheTaskThreadThatTrains() throws InterruptedException {
        Nd4jThreads.use(1);
        assertEquals(1, ompMaxThreadsOfANewThreadAfter(() -> new NativeThreadsHook(1).preUpdate((DataSet) null, null)));
    }

    private static int ompMaxThreadsOfANewThreadAfter(Runnable setup) throws InterruptedException {
        int[] openMp = new int[1];
        Thread task = new Thread(() -> {
            setup.run();
            openMp[0] = ompMaxThreads();
        });
        task.start();
        task.join();
        return openMp[0];
    }

    private static int ompMaxThreads() {
        return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
    }
}
