package io.glowspark.layer;

import io.glowspark.data.Dequantization;
import io.glowspark.data.MnistDataset;
import io.glowspark.data.MnistFileNames;
import io.glowspark.data.MnistTestFiles;
import io.glowspark.data.Shard;
import io.glowspark.flow.Glow;
import io.glowspark.flow.GlowSpec;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A few hundred single-JVM steps on real MNIST lower bits/dim on held-out test digits, and the flow stays invertible. */
@Tag("slow")
class MnistSingleJvmTrainingTest {

    @Test
    void threeHundredStepsLowerHeldOutBitsPerDim() {
        Configuration conf = new Configuration();
        MnistDataset mnist = MnistDataset.open(MnistTestFiles.dir().toUri(), MnistFileNames.STANDARD, conf);
        Dequantization dequantization = new Dequantization(8, false, 1);
        INDArray train = dequantization.withNoise(new Shard(mnist.train().images(), mnist.train().labels(), 0, 9600).read(conf), 0);
        INDArray test = dequantization.withNoise(new Shard(mnist.test().images(), mnist.test().labels(), 0, 500).read(conf), 0);
        DataSet heldOut = new DataSet(test, Nd4j.zeros(DataType.FLOAT, 500, 1));

        GlowSpec spec = new GlowSpec(1, 28, 28, 2, 2, 16, GlowSpec.Coupling.AFFINE, GlowSpec.Permutation.LU,
                GlowSpec.Conditioner.GLOW, 8);
        MultiLayerNetwork net = GlowNetwork.create(new GlowLayerConfig(spec), new Adam(2e-3), 1, DataType.FLOAT);
        GlowNetwork.initializeActNorm(net, train.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 256)));
        double before = net.score(heldOut);
        for (int i = 0; i < 300; i++) {
            long from = (i * 32L) % 9600;
            INDArray batch = train.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, from + 32)).dup();
            net.fit(new DataSet(batch, Nd4j.zeros(DataType.FLOAT, 32, 1)));
        }
        double after = net.score(heldOut);
        System.out.printf("held-out bits/dim %.3f -> %.3f%n", before, after);
        assertTrue(after < before - 1.5, "held-out bits/dim " + before + " -> " + after);

        Glow glow = (Glow) GlowNetwork.glowLayer(net).model();
        double error = glow.decode(glow.encode(test).latents()).sub(test).amaxNumber().doubleValue();
        assertTrue(error <= 1e-5, "float max |f^-1(f(x)) - x| after training = " + error);
    }
}
