package io.glowspark.cli;

import io.glowspark.config.Settings;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GlowSparkMainTest {

    @Test
    void trainingResultsGoStraightToTheDriverUnlessSparkSubmitSaysOtherwise() {
        Settings settings = Settings.load(Optional.empty(), List.of("spark.master=local[2]"));
        SparkConf conf = GlowSparkMain.sparkConf(settings);
        assertEquals("128m", conf.get("spark.task.maxDirectResultSize"));
        assertEquals("local[2]", conf.get("spark.master"));
        assertEquals("org.apache.spark.serializer.KryoSerializer", conf.get("spark.serializer"));

        System.setProperty("spark.task.maxDirectResultSize", "2m"); // what spark-submit --conf does
        try {
            assertEquals("2m", GlowSparkMain.sparkConf(settings).get("spark.task.maxDirectResultSize"));
        } finally {
            System.clearProperty("spark.task.maxDirectResultSize");
        }
    }
}
