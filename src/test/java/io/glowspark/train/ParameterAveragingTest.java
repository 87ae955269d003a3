package io.glowspark.train;

import io.glowspark.config.Settings;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.junit.jupiter.api.Test;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParameterAveragingTest {

    @Test
    void everySparkSettingReachesTheTrainingMaster() throws Exception {
        Settings settings = Settings.load(Optional.empty(), List.of("train.batch-size-per-worker=16",
                "spark.averaging-frequency=3", "spark.worker-prefetch=0", "spark.repartition=always",
                "spark.repartition-strategy=spark-default", "spark.training-approach=export",
                "spark.storage-level=MEMORY_AND_DISK_SER", "train.seed=7"));
        JsonNode master = fields(ParameterAveraging.trainingMaster(settings, 3, 1));
        assertEquals(3, master.get("numWorkers").asInt());
        assertEquals(16, master.get("batchSizePerWorker").asInt());
        assertEquals(3, master.get("averagingFrequency").asInt());
        assertEquals(0, master.get("prefetchNumBatches").asInt());
        assertEquals("Always", master.get("repartition").asText());
        assertEquals("SparkDefault", master.get("repartitionStrategy").asText());
        assertEquals("Export", master.get("rddTrainingApproach").asText());
        assertEquals("MEMORY_AND_DISK_SER", master.get("storageLevel").asText());
        assertTrue(master.get("saveUpdater").asBoolean(), "the optimizer state must be averaged and kept, or Adam restarts every round");
    }

    @Test
    void defaultsDealEachRoundOutWithoutRepartitioning() throws Exception {
        JsonNode master = fields(ParameterAveraging.trainingMaster(Settings.defaults(), 2, 1));
        assertEquals("Never", master.get("repartition").asText());
        assertEquals("Balanced", master.get("repartitionStrategy").asText());
        assertEquals("Direct", master.get("rddTrainingApproach").asText());
        assertEquals("NONE", master.get("storageLevel").asText());
    }

    /** The master's fields, through its own JSON form: dl4j-spark has no getters for most of them. */
    private static JsonNode fields(ParameterAveragingTrainingMaster master) throws Exception {
        return new ObjectMapper().readTree(master.toJson());
    }
}
