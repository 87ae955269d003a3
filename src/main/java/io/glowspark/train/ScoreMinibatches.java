package io.glowspark.train;

import io.glowspark.layer.GlowNetwork;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import scala.Tuple2;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * Runs on an executor: the number of images of one partition and the sum of their bits/dim under the broadcast
 * parameters, the training loss (-log p(x | y) under each image's label for a class-conditional model). Like dl4j-spark's ScoreFlatMapFunction, except that the network is not randomly initialized before its
 * parameters are set, and the flow's native buffers are freed as soon as the partition is scored.
 */
final class ScoreMinibatches implements FlatMapFunction<Iterator<DataSet>, Tuple2<Integer, Double>> {

    private final String configurationJson;
    private final Broadcast<INDArray> parameters;
    private final int ompThreads;

    ScoreMinibatches(String configurationJson, Broadcast<INDArray> parameters, int ompThreads) {
        this.configurationJson = configurationJson;
        this.parameters = parameters;
        this.ompThreads = ompThreads;
    }

    @Override
    public Iterator<Tuple2<Integer, Double>> call(Iterator<DataSet> batches) {
        if (!batches.hasNext()) {
            return Collections.emptyIterator();
        }
        Nd4jThreads.use(ompThreads);
        MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(configurationJson));
        net.init(parameters.value().unsafeDuplication(), false);
        int count = 0;
        double sum = 0;
        try {
            while (batches.hasNext()) {
                DataSet batch = batches.next();
                sum += net.scoreExamples(batch, false).sumNumber().doubleValue();
                count += batch.numExamples();
            }
        } finally {
            GlowNetwork.glowLayer(net).model().releaseBuffers();
        }
        return List.of(new Tuple2<>(count, sum)).iterator();
    }
}
