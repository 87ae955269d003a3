package io.glowspark.train;

import io.glowspark.cli.ExitCode;
import io.glowspark.cli.GlowSparkMain;
import io.glowspark.testing.JvmFlags;
import io.glowspark.testing.TestClasspath;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The training job started the way a scheduler starts it, with Spark local[2] on 127.0.0.1 and no web UI: either
 * {@link GlowSparkMain#run} in this JVM, or {@code java ... GlowSparkMain} as a driver process of its own, which a
 * test can kill. Only one in-JVM run at a time: it starts its own SparkContext.
 */
final class GlowSparkJob {

    /** Read by SparkConf from system properties: the driver listens on loopback only. */
    private static final Map<String, String> SPARK_PROPERTIES = Map.of(
            "spark.driver.host", "127.0.0.1",
            "spark.driver.bindAddress", "127.0.0.1",
            "spark.ui.enabled", "false");
    private static final Path LOGS = Path.of("target", "driver-logs");

    private GlowSparkJob() {
    }

    /** GlowSparkMain.run in this JVM. */
    static ExitCode run(List<String> overrides) {
        SPARK_PROPERTIES.forEach(System::setProperty);
        try {
            return GlowSparkMain.run(arguments(overrides));
        } finally {
            SPARK_PROPERTIES.keySet().forEach(System::clearProperty);
        }
    }

    /** GlowSparkMain as its own driver JVM; its output goes to {@code target/driver-logs/<name>.log}. */
    static Process start(String name, List<String> overrides) throws IOException {
        return start(name, List.of(), overrides);
    }

    /** The same with {@code jvmOptions} (system properties, ...) on the driver's command line. */
    static Process start(String name, List<String> jvmOptions, List<String> overrides) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        command.addAll(JvmFlags.list());
        command.addAll(jvmOptions);
        SPARK_PROPERTIES.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-cp");
        command.add(TestClasspath.get());
        command.add(GlowSparkMain.class.getName());
        command.addAll(List.of(arguments(overrides)));
        Files.createDirectories(LOGS);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(LOGS.resolve(name + ".log").toFile());
        builder.environment().put("MALLOC_ARENA_MAX", "2");
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return builder.start();
    }

    /** The output of a driver process started as {@code name}. */
    static String log(String name) throws IOException {
        return Files.readString(LOGS.resolve(name + ".log"));
    }

    /** The exit code of a driver process; kills it if it has not exited within {@code timeout}. */
    static int exitCode(Process driver, Duration timeout) throws InterruptedException {
        if (!driver.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            driver.destroyForcibly().waitFor();
            throw new AssertionError("driver process " + driver.pid() + " still running after " + timeout);
        }
        return driver.exitValue();
    }

    /** SIGKILL, as when a node dies: no shutdown hook runs, the run lock is not released. */
    static void kill(Process driver) throws InterruptedException {
        driver.destroyForcibly().waitFor();
    }

    private static String[] arguments(List<String> overrides) {
        List<String> args = new ArrayList<>(List.of("spark.master=local[2]"));
        args.addAll(overrides);
        return args.toArray(String[]::new);
    }
}
