package io.glowspark.train;

import io.glowspark.layer.GlowNetwork;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Training replicas kept from one averaging round to the next in an executor JVM. dl4j-spark builds a new network
 * from every round's broadcast; for this model that means allocating and zeroing a few hundred MB of native buffers
 * per replica per round, freed only when a garbage collection finds the old replica. A replica taken from the pool
 * instead gets the round's parameters, optimizer state and counters. A round of another configuration (another
 * learning rate, another model) releases the idle replicas and starts the pool again.
 */
final class ReplicaPool {

    private static final Deque<MultiLayerNetwork> IDLE = new ArrayDeque<>();
    private static String pooledConfiguration;

    private ReplicaPool() {
    }

    /** An idle replica set to the broadcast's state, or empty when there is none of its configuration. */
    static synchronized Optional<MultiLayerNetwork> take(NetBroadcastTuple round) {
        String configuration = withoutCounters(round.getConfiguration());
        if (!configuration.equals(pooledConfiguration)) {
            IDLE.forEach(net -> GlowNetwork.glowLayer(net).model().releaseBuffers());
            IDLE.clear();
            pooledConfiguration = configuration;
            return Optional.empty();
        }
        MultiLayerNetwork net = IDLE.poll();
        if (net == null) {
            return Optional.empty();
        }
        net.setParams(round.getParameters());
        if (round.getUpdaterState() != null) {
            net.getUpdater().getStateViewArray().assign(round.getUpdaterState());
        }
        net.getLayerWiseConfigurations().setIterationCount(round.getConfiguration().getIterationCount());
        net.getLayerWiseConfigurations().setEpochCount(round.getConfiguration().getEpochCount());
        return Optional.of(net);
    }

    /** Returns a replica whose round is over (its result already taken) for the next round. */
    static synchronized void give(MultiLayerNetwork net) {
        if (withoutCounters(net.getLayerWiseConfigurations()).equals(pooledConfiguration)) {
            IDLE.push(net);
        } else {
            GlowNetwork.glowLayer(net).model().releaseBuffers();
        }
    }

    /** The configuration as JSON with the iteration and epoch counters, which change every round, left out. */
    private static String withoutCounters(MultiLayerConfiguration configuration) {
        MultiLayerConfiguration copy = configuration.clone();
        copy.setIterationCount(0);
        copy.setEpochCount(0);
        return copy.toJson();
    }
}
