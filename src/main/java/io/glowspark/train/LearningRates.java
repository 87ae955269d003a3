package io.glowspark.train;

import io.glowspark.config.TrainSettings;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.learning.config.AdaMax;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * The optimizer and its learning-rate schedule: a linear warm-up to the peak rate, then constant within an epoch;
 * the peak steps down by train.decay-factor after each of train.decay-epochs. The warm-up is a function of DL4J's
 * iteration counter, which is saved with the network, so a resumed run continues it; the trainer sets each epoch's
 * schedule before the epoch starts, and dl4j-spark ships it to the workers with the network configuration.
 */
final class LearningRates {

    private LearningRates() {
    }

    static IUpdater updater(TrainSettings train) {
        ISchedule schedule = schedule(train, 0);
        return switch (train.optimizer()) {
            case ADAM -> new Adam(schedule);
            case ADAMAX -> new AdaMax(schedule);
        };
    }

    static ISchedule schedule(TrainSettings train, int epoch) {
        return new WarmupSchedule(train.learningRateOfEpoch(epoch), train.warmupIterations());
    }

    static double at(MultiLayerNetwork net, long iteration) {
        IUpdater updater = ((BaseLayer) net.getLayer(0).conf().getLayer()).getIUpdater();
        return updater.getLearningRate((int) iteration, net.getEpochCount());
    }
}
