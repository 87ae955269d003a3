package io.glowspark.train;

import io.glowspark.config.Settings;
import io.glowspark.config.TrainSettings;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.schedule.ISchedule;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LearningRatesTest {

    private static final double TOLERANCE = 1e-15;

    @Test
    void warmsUpLinearlyThenStepsDownAfterEachDecayEpoch() {
        TrainSettings train = Settings.load(Optional.empty(), List.of("train.learning-rate=1e-3",
                "train.warmup-iterations=10", "train.decay-epochs=[2,4]", "train.decay-factor=0.5")).train();
        ISchedule first = LearningRates.schedule(train, 0);
        assertEquals(1e-4, first.valueAt(0, 0), TOLERANCE);
        assertEquals(6e-4, first.valueAt(5, 0), TOLERANCE);
        assertEquals(1e-3, first.valueAt(10, 0), TOLERANCE);
        assertEquals(1e-3, LearningRates.schedule(train, 1).valueAt(500, 0), TOLERANCE);
        assertEquals(5e-4, LearningRates.schedule(train, 2).valueAt(1000, 0), TOLERANCE);
        assertEquals(5e-4, LearningRates.schedule(train, 3).valueAt(1500, 0), TOLERANCE);
        assertEquals(2.5e-4, LearningRates.schedule(train, 4).valueAt(2000, 0), TOLERANCE);
        assertEquals(2.5e-4, LearningRates.schedule(train, 9).valueAt(5000, 0), TOLERANCE);
    }

    @Test
    void withoutDecayEpochsTheRateStaysAtThePeak() {
        TrainSettings train = Settings.load(Optional.empty(), List.of("train.decay-epochs=[]")).train();
        assertEquals(List.of(), train.decayEpochs());
        assertEquals(train.learningRate(), LearningRates.schedule(train, 7).valueAt(100_000, 0), TOLERANCE);
    }
}
