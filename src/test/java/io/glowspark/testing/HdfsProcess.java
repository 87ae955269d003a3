package io.glowspark.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.glowspark.checkpoint.FileSystemTimeouts;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;

/**
 * A real HDFS (a NameNode and one DataNode) in a JVM of its own: Hadoop's {@code MiniDFSClusterManager} on 127.0.0.1.
 * A test can stop it (SIGKILL, as when its host fails), start it again with its files on the same port, and freeze
 * it (SIGSTOP) and thaw it (SIGCONT), as when it hangs. Its files and logs are under
 * {@code target/hdfs-process-<name>/}.
 */
public final class HdfsProcess implements AutoCloseable {

    private static final String LOOPBACK = "127.0.0.1";
    /** A bound on starting, far above what it takes: only a process that cannot start reaches it. */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);

    private final Path dir;
    private final int port;
    private final Thread shutdownHook = new Thread(this::kill, "hdfs-process-shutdown");
    private Process process;
    private int starts;
    private boolean frozen;

    private HdfsProcess(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Starts a new, empty HDFS named {@code name}. */
    public static HdfsProcess start(String name) throws IOException, InterruptedException {
        Path dir = SparkHome.repoRoot().resolve("target").resolve("hdfs-process-" + name);
        FileUtil.fullyDelete(dir.toFile());
        Files.createDirectories(dir);
        HdfsProcess hdfs = new HdfsProcess(dir, freePort());
        Runtime.getRuntime().addShutdownHook(hdfs.shutdownHook);
        hdfs.launch(true);
        return hdfs;
    }

    /** hdfs://127.0.0.1:port/path */
    public URI uri(String path) {
        return URI.create("hdfs://" + LOOPBACK + ":" + port + path);
    }

    /** A client configuration for this file system whose waits are bounded (see {@link FileSystemTimeouts}). */
    public Configuration configuration() {
        Configuration conf = new Configuration();
        FileSystemTimeouts.apply(conf, Duration.ofSeconds(60));
        return conf;
    }

    public FileSystem fileSystem() throws IOException {
        return FileSystem.get(uri("/"), configuration());
    }

    /** SIGKILL, and waits until the process is gone. */
    public synchronized void stop() throws IOException, InterruptedException {
        thaw();
        process.destroyForcibly().waitFor();
    }

    /** Starts the stopped HDFS again on its port, with its files, and waits until it serves them. */
    public synchronized void restart() throws IOException, InterruptedException {
        if (process.isAlive()) {
            throw new IllegalStateException("HDFS is running");
        }
        launch(false);
    }

    /** SIGSTOP, and waits until every thread of the process is stopped: it accepts connections and never answers. */
    public synchronized void freeze() throws IOException, InterruptedException {
        signal("STOP");
        frozen = true;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!allThreadsStopped()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("HDFS process " + process.pid() + " did not stop on SIGSTOP");
            }
            Thread.sleep(10);
        }
    }

    /** SIGCONT, if frozen. */
    public synchronized void thaw() throws IOException, InterruptedException {
        if (frozen) {
            signal("CONT");
            frozen = false;
        }
    }

    /** Thaws it, or starts it again, if a test left it frozen or stopped. */
    public synchronized void ensureRunning() throws IOException, InterruptedException {
        thaw();
        if (!process.isAlive()) {
            restart();
        }
    }

    @Override
    public synchronized void close() {
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run
        }
    }

    private synchronized void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly(); // SIGKILL ends a stopped process too
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void launch(boolean format) throws IOException, InterruptedException {
        Path details = dir.resolve("details.json");
        Files.deleteIfExists(details);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                "-XX:TieredStopAtLevel=1", // starts faster; a test's HDFS does little work
                "-cp", TestClasspath.get(), "org.apache.hadoop.test.MiniDFSClusterManager",
                "-datanodes", "1", "-nnport", String.valueOf(port), "-writeDetails", details.toString()));
        if (format) {
            command.add("-format");
        }
        for (String setting : List.of("hdfs.minidfs.basedir=" + dir.resolve("data"),
                "dfs.namenode.rpc-bind-host=" + LOOPBACK, "dfs.namenode.http-address=" + LOOPBACK + ":0",
                "dfs.namenode.https-address=" + LOOPBACK + ":0", "dfs.datanode.address=" + LOOPBACK + ":0",
                "dfs.datanode.http.address=" + LOOPBACK + ":0", "dfs.datanode.https.address=" + LOOPBACK + ":0",
                "dfs.datanode.ipc.address=" + LOOPBACK + ":0")) {
            command.addAll(List.of("-D", setting));
        }
        Path log = dir.resolve("hdfs-" + (++starts) + ".log");
        process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Files.exists(details)) { // written once the NameNode serves and the DataNode has registered
            if (!process.isAlive()) {
                throw new IllegalStateException("HDFS exited with " + process.exitValue() + "; see " + log);
            }
            if (System.nanoTime() > deadline) {
                kill();
                throw new IllegalStateException("HDFS not up after " + START_TIMEOUT + "; see " + log);
            }
            Thread.sleep(100);
        }
    }

    private void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    /** Every thread's state in /proc is T (stopped). */
    private boolean allThreadsStopped() throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(process.pid()), "task"))) {
            return tasks.allMatch(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    return stat.substring(stat.lastIndexOf(')') + 2).startsWith("T");
                } catch (IOException gone) {
                    return true;
                }
            });
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        }
    }
}
