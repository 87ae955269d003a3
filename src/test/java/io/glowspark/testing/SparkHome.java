package io.glowspark.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The Spark home assembled by submit/spark-home.sh from the same Spark 3.5.9 / Scala 2.12 jars this build
 * compiles against. Tests always use the assembled one (never an installed Spark of another version).
 */
public final class SparkHome {
    private static Path home;

    private SparkHome() {}

    /** Assembles the Spark home on first use (minutes the very first time, then instant) and returns it. */
    public static synchronized Path get() {
        if (home == null) {
            home = assemble();
        }
        return home;
    }

    /** The directory of Spark's jars. */
    public static Path jars() {
        return get().resolve("jars");
    }

    /** A {@code java -cp} value like Spark's own daemons use: conf/ (log4j2.properties) and jars/*. */
    public static String daemonClasspath() {
        return get().resolve("conf") + java.io.File.pathSeparator + jars().resolve("*");
    }

    /** The repository root: the nearest directory upwards from the working directory holding submit/spark-home.sh. */
    public static Path repoRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("submit/spark-home.sh"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no submit/spark-home.sh above " + Path.of("").toAbsolutePath());
    }

    private static Path assemble() {
        Path script = repoRoot().resolve("submit/spark-home.sh");
        try {
            Process process = new ProcessBuilder("bash", script.toString(), "--assembled")
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(15, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(script + " did not finish in 15 minutes");
            }
            if (process.exitValue() != 0 || out.isEmpty()) {
                throw new IllegalStateException(script + " failed with exit code " + process.exitValue());
            }
            return Path.of(out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + script, e);
        }
    }
}
