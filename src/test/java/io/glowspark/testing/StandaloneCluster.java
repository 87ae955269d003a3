package io.glowspark.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A real Spark standalone cluster on 127.0.0.1: one Master and N Workers, each its own {@code java} process started
 * from the jars of {@link SparkHome}, with the JVM flags of submit/jvm.properties. Each Worker offers 1 core (or the
 * number given) and 1g.
 * Logs and the workers' work directories (executor stdout/stderr) go to {@code target/spark-cluster/<time>/}.
 *
 * <pre>{@code
 * try (StandaloneCluster cluster = StandaloneCluster.start(2);
 *      JavaSparkContext sc = cluster.newContext("my-test")) {   // this JVM is the driver
 *   ...
 * }
 * }</pre>
 *
 * Executors run the test classpath (spark.executor.extraClassPath), so tests need no application jar.
 * {@link #close()} stops exactly the processes this cluster started (and the executors those started).
 */
public final class StandaloneCluster implements AutoCloseable {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);
    /** Heap of each executor; a Worker offers 1g. */
    public static final String EXECUTOR_MEMORY = "768m";

    private static final String LOOPBACK = "127.0.0.1";
    private static final String DAEMON_HEAP = "-Xmx256m";
    private static final Pattern ALIVE_WORKERS = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");

    private record Daemon(String name, Process process, Path log) {}

    private final int workers;
    private final int coresPerWorker;
    private final int masterPort;
    private final int masterWebUiPort;
    private final Path dir;
    private final List<Daemon> daemons = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::stopDaemons, "standalone-cluster-shutdown");

    private StandaloneCluster(int workers, int coresPerWorker, Path dir, int masterPort, int masterWebUiPort) {
        this.workers = workers;
        this.coresPerWorker = coresPerWorker;
        this.dir = dir;
        this.masterPort = masterPort;
        this.masterWebUiPort = masterWebUiPort;
    }

    /** Starts 1 master and {@code workers} workers and waits until all workers are registered. */
    public static StandaloneCluster start(int workers) {
        return start(workers, 1, DEFAULT_TIMEOUT);
    }

    /** The same with {@code coresPerWorker} cores offered by each worker. */
    public static StandaloneCluster start(int workers, int coresPerWorker, Duration timeout) {
        if (workers < 1 || coresPerWorker < 1) {
            throw new IllegalArgumentException("workers and cores must be >= 1, got " + workers + " and " + coresPerWorker);
        }
        Path home = SparkHome.get();
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
        Path dir = SparkHome.repoRoot().resolve("target/spark-cluster").resolve(stamp);
        int[] ports = freePorts(2 + workers);
        StandaloneCluster cluster = new StandaloneCluster(workers, coresPerWorker, dir, ports[0], ports[1]);
        Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
        try {
            Files.createDirectories(dir.resolve("work"));
            cluster.launch(home, "master", "org.apache.spark.deploy.master.Master",
                    "--host", LOOPBACK, "--port", String.valueOf(ports[0]), "--webui-port", String.valueOf(ports[1]));
            for (int i = 1; i <= workers; i++) {
                cluster.launch(home, "worker-" + i, "org.apache.spark.deploy.worker.Worker",
                        "--host", LOOPBACK, "--cores", String.valueOf(coresPerWorker), "--memory", "1g",
                        "--webui-port", String.valueOf(ports[1 + i]),
                        "--work-dir", dir.resolve("work").toString(), cluster.masterUrl());
            }
            cluster.awaitWorkers(timeout);
            return cluster;
        } catch (RuntimeException | IOException | InterruptedException e) {
            String logs = cluster.logs();
            cluster.close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("Spark standalone cluster did not start: " + e.getMessage() + "\n" + logs, e);
        }
    }

    /** spark://127.0.0.1:port */
    public String masterUrl() {
        return "spark://" + LOOPBACK + ":" + masterPort;
    }

    /** The master's web UI; {@code /json} gives the cluster state. */
    public String masterWebUiUrl() {
        return "http://" + LOOPBACK + ":" + masterWebUiPort;
    }

    public int workers() {
        return workers;
    }

    /** Logs (master.log, worker-N.log) and the workers' work directory. */
    public Path dir() {
        return dir;
    }

    /** Process ids of the master and the workers, in start order. */
    public List<Long> daemonPids() {
        return daemons.stream().map(d -> d.process().pid()).toList();
    }

    /**
     * Driver settings for an application of this JVM on this cluster: one executor of {@value #EXECUTOR_MEMORY} with
     * all the worker's cores per worker, running the test classpath with the JVM flags of submit/jvm.properties, no
     * web UI.
     */
    public SparkConf driverConf(String appName) {
        return new SparkConf()
                .setMaster(masterUrl())
                .setAppName(appName)
                .set("spark.driver.host", LOOPBACK)
                .set("spark.driver.bindAddress", LOOPBACK)
                .set("spark.ui.enabled", "false")
                .set("spark.executor.memory", EXECUTOR_MEMORY)
                .set("spark.executor.cores", String.valueOf(coresPerWorker))
                .set("spark.cores.max", String.valueOf(workers * coresPerWorker))
                .set("spark.executor.extraClassPath", TestClasspath.get())
                .set("spark.executor.extraJavaOptions", JvmFlags.joined())
                .set("spark.executorEnv.MALLOC_ARENA_MAX", "2");
    }

    /** A driver in this JVM with {@link #driverConf}, returned once every worker runs an executor for it. */
    public JavaSparkContext newContext(String appName) {
        return newContext(driverConf(appName));
    }

    public JavaSparkContext newContext(SparkConf conf) {
        JavaSparkContext sc = new JavaSparkContext(conf);
        try {
            awaitExecutors(sc, workers, DEFAULT_TIMEOUT);
            return sc;
        } catch (RuntimeException e) {
            sc.stop();
            throw e;
        }
    }

    /** Waits until {@code sc} has {@code executors} executors, so that tasks spread over all of them. */
    public void awaitExecutors(JavaSparkContext sc, int executors, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        // getExecutorMemoryStatus counts the driver's block manager too.
        while (sc.sc().getExecutorMemoryStatus().size() - 1 < executors) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("fewer than " + executors + " executors after " + timeout
                        + "; executor logs under " + dir.resolve("work") + "\n" + logs());
            }
            sleep(200);
        }
    }

    /** Stops the daemons (workers first), then any executor they left behind. Safe to call twice. */
    @Override
    public void close() {
        stopDaemons();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run
        }
    }

    private synchronized void stopDaemons() {
        List<ProcessHandle> children = daemons.stream()
                .flatMap(d -> d.process().descendants())
                .toList();
        for (int i = daemons.size() - 1; i >= 0; i--) {
            daemons.get(i).process().destroy();
        }
        for (Daemon daemon : daemons) {
            stop(daemon.process().toHandle());
        }
        children.forEach(StandaloneCluster::stop);
        daemons.clear();
    }

    private static void stop(ProcessHandle process) {
        try {
            if (process.isAlive()) {
                process.destroy();
                try {
                    process.onExit().get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    process.destroyForcibly();
                    process.onExit().get(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            process.destroyForcibly();
        }
    }

    private void launch(Path home, String name, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(DAEMON_HEAP);
        command.addAll(JvmFlags.list());
        command.add("-cp");
        command.add(SparkHome.daemonClasspath());
        command.add(mainClass);
        command.addAll(List.of(args));
        Path log = dir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("SPARK_HOME", home.toString());
        env.put("SPARK_CONF_DIR", home.resolve("conf").toString());
        env.put("SPARK_SCALA_VERSION", "2.12");   // workers build executor command lines with Spark's launcher
        env.put("SPARK_LOCAL_IP", LOOPBACK);
        env.put("MALLOC_ARENA_MAX", "2");
        daemons.add(new Daemon(name, builder.start(), log));
    }

    private void awaitWorkers(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int alive = -1;
        while (alive < workers) {
            for (Daemon daemon : daemons) {
                if (!daemon.process().isAlive()) {
                    throw new IllegalStateException(daemon.name() + " exited with code " + daemon.process().exitValue());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "after " + timeout + " the master reports " + Math.max(alive, 0) + " of " + workers + " workers");
            }
            Thread.sleep(250);
            alive = aliveWorkers();
        }
    }

    /** aliveworkers from the master's /json, -1 while the master's web UI is not up. */
    private int aliveWorkers() {
        try {
            HttpURLConnection connection = (HttpURLConnection) new URL(masterWebUiUrl() + "/json").openConnection();
            connection.setConnectTimeout(2000);
            connection.setReadTimeout(2000);
            try (InputStream in = connection.getInputStream()) {
                Matcher m = ALIVE_WORKERS.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                return m.find() ? Integer.parseInt(m.group(1)) : -1;
            } finally {
                connection.disconnect();
            }
        } catch (IOException notUpYet) {
            return -1;
        }
    }

    /** The last lines of every daemon log, for failure messages. */
    private String logs() {
        StringBuilder out = new StringBuilder();
        for (Daemon daemon : daemons) {
            out.append("---- ").append(daemon.log()).append(" (last 40 lines)\n");
            try {
                List<String> lines = Files.readAllLines(daemon.log());
                lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(l -> out.append(l).append('\n'));
            } catch (IOException | UncheckedIOException e) {
                out.append("(unreadable: ").append(e).append(")\n");
            }
        }
        return out.toString();
    }

    private static int[] freePorts(int n) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK));
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + LOOPBACK, e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
