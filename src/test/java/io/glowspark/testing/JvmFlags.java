package io.glowspark.testing;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** The JVM flags of submit/jvm.properties, the one list shared with surefire and the submit scripts. */
public final class JvmFlags {
    private JvmFlags() {}

    /** jvm.modules and jvm.training, one flag per element, for the JVMs a test starts like the scripts do. */
    public static List<String> list() {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(SparkHome.repoRoot().resolve("submit/jvm.properties"))) {
            properties.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read submit/jvm.properties", e);
        }
        List<String> flags = new ArrayList<>();
        for (String key : List.of("jvm.modules", "jvm.training")) {
            String value = properties.getProperty(key);
            if (value == null || value.isBlank()) {
                throw new IllegalStateException("no " + key + " in submit/jvm.properties");
            }
            flags.addAll(List.of(value.trim().split("\\s+")));
        }
        return List.copyOf(flags);
    }

    /** The same flags as one string, for spark.executor.extraJavaOptions. */
    public static String joined() {
        return String.join(" ", list());
    }
}
