package io.glowspark.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The application as a test submits it to a cluster before {@code mvn package} has built the application jar: a jar
 * of this build's classes, and the jars the application jar bundles on the classpath of the driver and the
 * executors (spark.driver.extraClassPath, spark.executor.extraClassPath), local paths every node of a test cluster
 * can read.
 */
public final class ThinApplication {

    private ThinApplication() {
    }

    /** Writes a jar of target/classes to {@code jar}. */
    public static Path jar(Path jar) throws IOException {
        Path classes = SparkHome.repoRoot().resolve("target/classes");
        Files.createDirectories(jar.getParent());
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
             Stream<Path> paths = Files.walk(classes)) {
            for (Path path : paths.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(path).toString().replace('\\', '/')));
                Files.copy(path, out);
                out.closeEntry();
            }
        }
        return jar;
    }

    /** The application jar's dependencies: target/application-classpath.txt, which the build writes. */
    public static String dependencies() throws IOException {
        Path file = SparkHome.repoRoot().resolve("target/application-classpath.txt");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " is missing: the build writes it (mvn generate-test-resources)");
        }
        String classpath = Files.readString(file).trim();
        for (String jar : List.of(classpath.split(java.io.File.pathSeparator))) {
            if (!Files.isRegularFile(Path.of(jar))) {
                throw new IllegalStateException(file + " names " + jar + ", which does not exist");
            }
        }
        return classpath;
    }
}
