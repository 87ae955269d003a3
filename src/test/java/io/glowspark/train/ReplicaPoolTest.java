package io.glowspark.train;

import io.glowspark.flow.GlowSpec;
import io.glowspark.layer.GlowLayerConfig;
import io.glowspark.layer.GlowNetwork;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplicaPoolTest {

    private static MultiLayerNetwork trained(double learningRate) {
        GlowSpec spec = new GlowSpec(1, 8, 8, 2, 1, 4, GlowSpec.Coupling.AFFINE, GlowSpec.Permutation.LU,
                GlowSpec.Conditioner.GLOW, 8);
        MultiLayerNetwork net = GlowNetwork.create(new GlowLayerConfig(spec), new Adam(learningRate), 1, DataType.FLOAT);
        Nd4j.getRandom().setSeed(2);
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 1, 8, 8).subi(0.5);
        GlowNetwork.initializeActNorm(net, x);
        net.fit(new DataSet(x, Nd4j.zeros(DataType.FLOAT, 8, 1)));
        return net;
    }

    private static NetBroadcastTuple round(MultiLayerNetwork driver, int iteration) {
        MultiLayerConfiguration conf = driver.getLayerWiseConfigurations().clone();
        conf.setIterationCount(iteration);
        return new NetBroadcastTuple(conf, driver.params().dup(), driver.getUpdater().getStateViewArray().dup());
    }

    @Test
    void aReplicaOfTheSameConfigurationIsReusedWithTheRoundsStateAndAnotherConfigurationStartsAgain() {
        MultiLayerNetwork driver = trained(1e-3);
        assertEquals(Optional.empty(), ReplicaPool.take(round(driver, 3)), "a new configuration has no replica yet");
        MultiLayerNetwork replica = trained(1e-3);
        replica.params().addi(1.0);
        ReplicaPool.give(replica);

        NetBroadcastTuple next = round(driver, 7);
        MultiLayerNetwork taken = ReplicaPool.take(next).orElseThrow();
        assertSame(replica, taken);
        assertArrayEquals(next.getParameters().toFloatVector(), taken.params().toFloatVector(), 0f);
        assertArrayEquals(next.getUpdaterState().toFloatVector(), taken.getUpdater().getStateViewArray().toFloatVector(), 0f);
        assertEquals(7, taken.getLayerWiseConfigurations().getIterationCount());
        assertEquals(Optional.empty(), ReplicaPool.take(next), "the only idle replica is taken");

        ReplicaPool.give(taken);
        assertTrue(ReplicaPool.take(round(trained(5e-4), 7)).isEmpty(), "another learning rate is another configuration");
        assertTrue(ReplicaPool.take(next).isEmpty(), "the replicas of the old configuration were dropped");
    }
}
