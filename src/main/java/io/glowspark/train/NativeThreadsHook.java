package io.glowspark.train;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Sets the native threads on the Spark task thread that runs a worker's minibatches, before each of them: the
 * OpenMP setting is per thread, and dl4j-spark trains on whichever task thread the executor picks.
 */
final class NativeThreadsHook implements TrainingHook {

    private final int threads;

    NativeThreadsHook(int threads) {
        this.threads = threads;
    }

    @Override
    public void preUpdate(DataSet minibatch, Model model) {
        Nd4jThreads.use(threads);
    }

    @Override
    public void preUpdate(MultiDataSet minibatch, Model model) {
        Nd4jThreads.use(threads);
    }

    @Override
    public void postUpdate(DataSet minibatch, Model model) {
    }

    @Override
    public void postUpdate(MultiDataSet minibatch, Model model) {
    }
}
