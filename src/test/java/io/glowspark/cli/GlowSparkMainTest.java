package io.glowspark.cli;

import io.glowspark.config.Settings;
import io.glowspark.config.SettingsException;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GlowSparkMainTest {

    @Test
    void trainingResultsGoStraightToTheDriverUnlessSparkSubmitSaysOtherwise() {
        Settings settings = Settings.load(Optional.empty(), List.of("spark.master=local[2]"));
        SparkConf conf = GlowSparkMain.sparkConf(settings);
        assertEquals("128m", conf.get("spark.task.maxDirectResultSize"));
        assertEquals("local[2]", conf.get("spark.master"));
        assertEquals("org.apache.spark.serializer.KryoSerializer", conf.get("spark.serializer"));

        assertEquals("glow-spark", conf.get("spark.app.name"));

        System.setProperty("spark.task.maxDirectResultSize", "2m"); // what spark-submit --conf does
        System.setProperty("spark.app.name", "nightly"); // and --name
        try {
            assertEquals("2m", GlowSparkMain.sparkConf(settings).get("spark.task.maxDirectResultSize"));
            assertEquals("nightly", GlowSparkMain.sparkConf(settings).get("spark.app.name"));
        } finally {
            System.clearProperty("spark.task.maxDirectResultSize");
            System.clearProperty("spark.app.name");
        }
    }

    @Test
    void dynamicAllocationIsRefusedOnAClusterBeforeSparkStartsAndIgnoredInLocalModeAsSparkDoes(@TempDir Path temp) {
        Path runDir = temp.resolve("run");
        System.setProperty("spark.dynamicAllocation.enabled", "true"); // what spark-submit --conf does
        try {
            assertEquals(ExitCode.BAD_INPUT, GlowSparkMain.run(new String[] {"spark.master=yarn", "run.dir=" + runDir}));
            assertFalse(Files.exists(runDir));
            SettingsException refused = assertThrows(SettingsException.class, () -> GlowSparkMain.sparkConf(
                    Settings.load(Optional.empty(), List.of("spark.master=spark://127.0.0.1:7077"))));
            assertTrue(refused.getMessage().startsWith("spark.dynamicAllocation.enabled=true: "), refused.getMessage());
            assertTrue(refused.getMessage().contains("set spark.dynamicAllocation.enabled=false"), refused.getMessage());
            GlowSparkMain.sparkConf(Settings.load(Optional.empty(), List.of("spark.master=local[2]")));
        } finally {
            System.clearProperty("spark.dynamicAllocation.enabled");
        }
    }
}
