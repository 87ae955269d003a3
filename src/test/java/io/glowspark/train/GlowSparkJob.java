package io.glowspark.train;

import io.glowspark.checkpoint.RunDirectory;
import io.glowspark.cli.ExitCode;
import io.glowspark.cli.GlowSparkMain;
import io.glowspark.testing.JvmFlags;
import io.glowspark.testing.TestClasspath;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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
    private static final Map<String, Thread> COPIERS = new ConcurrentHashMap<>();
    private static final List<Process> DRIVERS = new CopyOnWriteArrayList<>();

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
    static Process start(String name, List<String> overrides) throws IOException, InterruptedException {
        return start(name, List.of(), overrides);
    }

    /** The same with {@code jvmOptions} (system properties, ...) on the driver's command line. */
    static Process start(String name, List<String> jvmOptions, List<String> overrides)
            throws IOException, InterruptedException {
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
        Path pipe = namedPipe(LOGS.resolve(name + ".pipe"));
        COPIERS.put(name, copyInBackground(pipe, LOGS.resolve(name + ".log")));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(pipe.toFile());
        builder.environment().put("MALLOC_ARENA_MAX", "2");
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process driver = builder.start();
        DRIVERS.add(driver);
        return driver;
    }

    /** Kills every driver process started here that is still running, e.g. after a test failed waiting for it. */
    static void killAll() throws InterruptedException {
        for (Process driver : DRIVERS) {
            if (driver.isAlive()) {
                kill(driver);
            }
        }
        DRIVERS.clear();
    }

    /**
     * The driver writes its output into a named pipe, and this JVM copies it into the log file: a test may limit the
     * size of the files the driver writes (RLIMIT_FSIZE), and its log must not be cut by that. (A pipe from
     * ProcessBuilder loses what the driver writes while it exits, as the JDK closes the stream under its reader.)
     */
    private static Path namedPipe(Path path) throws IOException, InterruptedException {
        Files.deleteIfExists(path);
        Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        if (mkfifo.waitFor() != 0) {
            throw new IOException("mkfifo " + path + " failed");
        }
        return path;
    }

    /** Copies the pipe into the log until the driver closes it; opening the pipe waits until the driver opens it too. */
    private static Thread copyInBackground(Path pipe, Path log) {
        Thread copier = new Thread(() -> {
            try (InputStream in = Files.newInputStream(pipe); OutputStream out = Files.newOutputStream(log)) {
                in.transferTo(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "driver output to " + log);
        copier.setDaemon(true);
        copier.start();
        return copier;
    }

    /** The output of a driver process started as {@code name}: all of it once the process has ended. */
    static String log(String name) throws IOException, InterruptedException {
        Thread copier = COPIERS.get(name);
        if (copier != null) {
            copier.join(10_000);
        }
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

    /** Waits until the run has a complete checkpoint, failing if the driver exits first. */
    static void awaitCheckpoint(RunDirectory run, Process driver, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (run.checkpoints(3, true).list().isEmpty()) {
            if (!driver.isAlive()) {
                throw new AssertionError("the driver exited with " + driver.exitValue() + " before its first checkpoint; "
                        + "see target/driver-logs");
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no checkpoint after " + timeout);
            }
            Thread.sleep(50);
        }
    }

    /** Waits until the driver started as {@code name} has logged {@code text}, failing if it exits first. */
    static void awaitLog(String name, Process driver, String text, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.readString(LOGS.resolve(name + ".log")).contains(text)) {
            if (!driver.isAlive()) {
                throw new AssertionError("the driver exited with " + driver.exitValue() + " before logging '" + text
                        + "'; see target/driver-logs/" + name + ".log");
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + text + "' after " + timeout);
            }
            Thread.sleep(50);
        }
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
