package io.glowspark.bench;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import io.glowspark.flow.Glow;
import io.glowspark.flow.GlowSpec;
import io.glowspark.layer.GlowLayerConfig;
import io.glowspark.layer.GlowNetwork;
import io.glowspark.train.Nd4jThreads;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Single-JVM training throughput of a Glow configuration: images/s, achieved GFLOP/s (FLOPs from the model's layer
 * shapes, training = 3x forward) and resident memory over the run. Prints its figures; asserts nothing.
 *
 * <p>It also prints the CPU the process used, in cores, beside the training thread's own: with one OpenMP thread the
 * JVM's garbage collector, JIT compilers and ND4J's deallocator threads still run on other cores when there are any,
 * so comparing with a multi-worker run is only fair when both had the same number of cores (taskset). The Java heap
 * the training thread allocates per iteration is printed too: ND4J allocates Java objects for every op, whatever the
 * array size, and their collection takes CPU from the replicas in a multi-worker run. Unlike time, it does not vary
 * with the machine's load.
 *
 * <p>Usage: SingleJvmTrainingBenchmark [iterations=1000] [levels=2] [steps=8] [hidden=128] [batch=64] [threads=1]
 * [conditioner=glow|plain]
 */
public final class SingleJvmTrainingBenchmark {

    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        int iterations = arg(args, 0, 1000);
        GlowSpec spec = new GlowSpec(1, 28, 28, arg(args, 1, 2), arg(args, 2, 8), arg(args, 3, 128),
                GlowSpec.Coupling.AFFINE, GlowSpec.Permutation.LU,
                args.length > 6 && args[6].equals("plain") ? GlowSpec.Conditioner.PLAIN : GlowSpec.Conditioner.GLOW, 8);
        int batch = arg(args, 4, 64);
        Nd4jThreads.use(arg(args, 5, 1));

        MultiLayerNetwork net = GlowNetwork.create(new GlowLayerConfig(spec), new Adam(1e-3), 1, DataType.FLOAT);
        Nd4j.getRandom().setSeed(2);
        List<DataSet> batches = java.util.stream.IntStream.range(0, 8)
                .mapToObj(i -> new DataSet(Nd4j.rand(DataType.FLOAT, batch, 1, 28, 28).subi(0.5), Nd4j.zeros(DataType.FLOAT, batch, 1)))
                .toList();
        GlowNetwork.initializeActNorm(net, batches.get(0).getFeatures());
        long flopsPerImage = 3 * ((Glow) GlowNetwork.glowLayer(net).model()).forwardFlopsPerImage();
        System.out.printf("config: %s batch %d, %d parameters, %.3f GFLOP per training image, load %s%n",
                spec, batch, net.numParams(), flopsPerImage / 1e9, loadAverage());

        int warmup = Math.min(20, iterations / 10);
        for (int i = 0; i < warmup; i++) {
            net.fit(batches.get(i % batches.size()));
        }
        long start = System.nanoTime();
        long processCpuStart = processCpuNanos();
        long threadCpuStart = THREADS.getCurrentThreadCpuTime();
        long allocatedStart = THREADS.getCurrentThreadAllocatedBytes();
        long windowStart = start;
        int report = Math.max(1, iterations / 10);
        long peakRss = 0;
        for (int i = 1; i <= iterations; i++) {
            net.fit(batches.get(i % batches.size()));
            if (i % report == 0) {
                long now = System.nanoTime();
                double imagesPerSecond = (double) report * batch / ((now - windowStart) / 1e9);
                long rss = residentBytes();
                peakRss = Math.max(peakRss, rss);
                System.out.printf("iteration %5d  %7.1f images/s  %6.2f GFLOP/s  RSS %5d MB  bpd %.3f  load %s%n", i,
                        imagesPerSecond, imagesPerSecond * flopsPerImage / 1e9, rss >> 20, net.score(), loadAverage());
                windowStart = now;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double processCores = (processCpuNanos() - processCpuStart) / 1e9 / seconds;
        double threadCores = (THREADS.getCurrentThreadCpuTime() - threadCpuStart) / 1e9 / seconds;
        double allocatedPerIteration = (THREADS.getCurrentThreadAllocatedBytes() - allocatedStart) / 1e6 / iterations;
        double imagesPerSecond = (double) iterations * batch / seconds;
        System.out.printf("RESULT %d iterations in %.1f s: %.1f images/s, %.2f GFLOP/s, peak RSS %d MB, CPU %.2f cores "
                        + "(training thread %.2f) of %d available, Java heap allocated %.1f MB per iteration, load %s%n",
                iterations, seconds, imagesPerSecond, imagesPerSecond * flopsPerImage / 1e9, peakRss >> 20, processCores,
                threadCores, Runtime.getRuntime().availableProcessors(), allocatedPerIteration, loadAverage());
    }

    private static long processCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static int arg(String[] args, int index, int fallback) {
        return args.length > index ? Integer.parseInt(args[index]) : fallback;
    }

    static long residentBytes() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        return -1;
    }

    static String loadAverage() {
        return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
