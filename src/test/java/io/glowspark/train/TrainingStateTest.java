package io.glowspark.train;

import io.glowspark.checkpoint.CheckpointMetadata;
import io.glowspark.checkpoint.EpochMetrics;
import io.glowspark.checkpoint.EpochProgress;
import io.glowspark.config.Settings;
import io.glowspark.data.MnistTestFiles;
import io.glowspark.flow.GlowSpec;
import io.glowspark.layer.GlowLayerConfig;
import io.glowspark.layer.GlowNetwork;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingStateTest {

    private static final Settings SETTINGS = Settings.load(Optional.empty(), List.of("model.levels=1",
            "model.steps-per-level=1", "model.hidden-channels=4"));

    @Test
    void checkpointMetadataSaysWhetherActNormIsInitializedAsTheParametersDo() {
        GlowSpec spec = SETTINGS.model().toSpec(1, 28, 28, 8);
        MultiLayerNetwork net = GlowNetwork.create(new GlowLayerConfig(spec), new Adam(1e-3), 1, DataType.FLOAT);
        assertFalse(TrainingState.fresh().metadata(SETTINGS, net).actNormInitialized());
        Nd4j.getRandom().setSeed(1);
        GlowNetwork.initializeActNorm(net, Nd4j.rand(DataType.FLOAT, 8, 1, 28, 28).subi(0.5));
        assertTrue(TrainingState.fresh().metadata(SETTINGS, net).actNormInitialized());
    }

    @Test
    void anEpochsMetricsCoverTheRoundsOfTheRunsBeforeAResume() {
        EpochPlan plan = EpochPlan.start(MnistTestFiles.testSet().limit(1000), 0, 32, 42);
        TrainingState first = TrainingState.fresh();
        first.startEpoch(plan);
        first.endRound(4, 8, 250, 6.0);
        CheckpointMetadata checkpoint = withSeconds(first.metadata(SETTINGS, initialized()), 100);

        TrainingState resumed = TrainingState.resumedFrom(checkpoint);
        resumed.startEpoch(plan);
        assertEquals(8, resumed.progress().blocksDone(), "the epoch goes on where it stopped");
        resumed.endRound(8, 24, 750, 4.0);
        EpochMetrics line = resumed.endEpoch(3.9, 1e-3);
        assertEquals(1000, resumed.imagesSeen());
        assertEquals((6.0 * 250 + 4.0 * 750) / 1000, line.trainBpd(), 1e-12, "the mean over all of the epoch's images");
        assertTrue(line.seconds() >= 100 && line.seconds() < 110, "the time before the resume counts: " + line.seconds());
        assertEquals(1000 / line.seconds(), line.imagesPerSecond(), 1e-9);
        assertEquals(6.0, checkpoint.trainBpd(), "a checkpoint part-way through says the epoch's mean so far");
    }

    private static MultiLayerNetwork initialized() {
        MultiLayerNetwork net = GlowNetwork.create(new GlowLayerConfig(SETTINGS.model().toSpec(1, 28, 28, 8)),
                new Adam(1e-3), 1, DataType.FLOAT);
        GlowNetwork.initializeActNorm(net, Nd4j.rand(DataType.FLOAT, 8, 1, 28, 28).subi(0.5));
        return net;
    }

    /** The checkpoint as if the run had trained its part of the epoch for {@code seconds}. */
    private static CheckpointMetadata withSeconds(CheckpointMetadata m, double seconds) {
        EpochProgress p = m.progress();
        return new CheckpointMetadata(m.epoch(), m.iteration(), m.imagesSeen(), new EpochProgress(p.trainImages(),
                p.blocks(), p.orderSeed(), p.blocksDone(), p.images(), p.bpdSum(), seconds), m.trainBpd(), m.testBpd(), m.seed(), m.actNormInitialized(),
                m.configHash(), m.wallTimeMillis(), m.projectVersion());
    }
}
