package io.glowspark.testing;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.exceptions.YarnException;
import org.apache.hadoop.yarn.server.MiniYARNCluster;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A real YARN in the test JVM: hadoop-client-minicluster's MiniYARNCluster (a ResourceManager and NodeManagers on
 * localhost) next to a {@link MiniHdfs}, with the client configuration (core-site, hdfs-site, yarn-site) written to a
 * HADOOP_CONF_DIR for spark-submit. The NodeManagers start every container with bash as a process of its own, a
 * descendant of this JVM. YARN's memory figures are bookkeeping only here: the NodeManagers' physical and virtual
 * memory checks are off, and a container may be as small as 128 MB.
 */
public final class MiniYarn implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final MiniYARNCluster cluster;
    private final Path confDir;

    private MiniYarn(MiniYARNCluster cluster, Path confDir) {
        this.cluster = cluster;
        this.confDir = confDir;
    }

    /** Starts a ResourceManager and {@code nodeManagers} NodeManagers; work and logs go to {@code target/test/data/<name>/}. */
    public static MiniYarn start(String name, MiniHdfs hdfs, int nodeManagers) throws IOException, InterruptedException {
        YarnConfiguration conf = new YarnConfiguration();
        conf.set("fs.defaultFS", hdfs.uri("/").toString());
        // The stock capacity-scheduler.xml (one queue with the whole cluster), which the shaded jar does not carry; an
        // application master may take any share of the cluster, not only 10%.
        conf.set("yarn.scheduler.capacity.root.queues", "default");
        conf.set("yarn.scheduler.capacity.root.default.capacity", "100");
        conf.set("yarn.scheduler.capacity.maximum-am-resource-percent", "1.0");
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 128);
        conf.setInt(YarnConfiguration.NM_PMEM_MB, 4096);
        conf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
        // The NodeManagers keep a finished application's container directories, which the tests read.
        conf.setInt(YarnConfiguration.DEBUG_NM_DELETE_DELAY_SEC, 3600);
        conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
        conf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 100f);
        // The JDK, as a site's hadoop-env.sh gives it to every container. (The NodeManager appends these to a
        // container's own variables of the same name, so nothing a job sets itself belongs here.)
        conf.set(YarnConfiguration.NM_ADMIN_USER_ENV, "JAVA_HOME=" + System.getProperty("java.home"));
        MiniYARNCluster cluster = new MiniYARNCluster(name, nodeManagers, 1, 1);
        try {
            cluster.init(conf);
            cluster.start();
            if (!cluster.waitForNodeManagersToConnect(START_TIMEOUT.toMillis())) {
                throw new IllegalStateException("the NodeManagers did not register within " + START_TIMEOUT);
            }
            awaitAddress(cluster.getConfig());
            Path confDir = cluster.getTestWorkDir().toPath().resolve("hadoop-conf");
            writeClientConfiguration(confDir, hdfs, cluster.getConfig());
            return new MiniYarn(cluster, confDir);
        } catch (YarnException e) {
            cluster.stop();
            throw new IllegalStateException("the ResourceManager does not answer", e);
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.stop();
            throw e;
        }
    }

    /** start() may return before the ResourceManager has put the port it bound into the configuration. */
    private static void awaitAddress(Configuration conf) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (conf.get(YarnConfiguration.RM_ADDRESS).endsWith(":0")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the ResourceManager has no address after " + START_TIMEOUT);
            }
            Thread.sleep(100);
        }
    }

    /** The HADOOP_CONF_DIR of this cluster: core-site.xml, hdfs-site.xml and yarn-site.xml. */
    public Path confDir() {
        return confDir;
    }

    /** The ResourceManager's report on the application named {@code name}, if it was submitted. */
    public Optional<ApplicationReport> application(String name) throws IOException {
        try (YarnClient client = YarnClient.createYarnClient()) {
            client.init(cluster.getConfig());
            client.start();
            return client.getApplications().stream().filter(a -> a.getName().equals(name)).findFirst();
        } catch (YarnException e) {
            throw new IOException("the ResourceManager does not answer", e);
        }
    }

    /**
     * The log directories of an application's containers whose command ran {@code mainClass}: the NodeManagers keep
     * each container's launch script with its stdout and stderr (and copies of the script elsewhere, without logs).
     */
    public List<Path> containers(String applicationId, String mainClass) throws IOException {
        try (Stream<Path> files = Files.walk(cluster.getTestWorkDir().toPath())) {
            return files.filter(f -> f.getFileName().toString().equals("launch_container.sh"))
                    .filter(f -> f.getParent().getParent().getFileName().toString().equals(applicationId))
                    .filter(f -> Files.exists(f.resolveSibling("stderr")))
                    .filter(f -> read(f).contains(mainClass))
                    .map(Path::getParent)
                    .sorted()
                    .toList();
        }
    }

    /** The container JVMs running now whose command line holds {@code argument}, e.g. an executor's main class. */
    public static List<ProcessHandle> containerJvms(String argument) {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().arguments().map(args -> List.of(args).contains(argument)).orElse(false))
                .toList();
    }

    /** Stops the cluster; its NodeManagers stop their containers. */
    @Override
    public void close() {
        cluster.stop();
    }

    /**
     * Only what a client needs: the default file system, replication 1 (one DataNode), and the ResourceManager's
     * addresses, read from the running cluster (its ports are chosen when it starts).
     */
    private static void writeClientConfiguration(Path dir, MiniHdfs hdfs, Configuration yarn) throws IOException {
        Files.createDirectories(dir);
        write(dir.resolve("core-site.xml"), Map.of("fs.defaultFS", hdfs.uri("/").toString()));
        write(dir.resolve("hdfs-site.xml"), Map.of("dfs.replication", "1"));
        write(dir.resolve("yarn-site.xml"), Map.of(
                YarnConfiguration.RM_ADDRESS, yarn.get(YarnConfiguration.RM_ADDRESS),
                YarnConfiguration.RM_SCHEDULER_ADDRESS, yarn.get(YarnConfiguration.RM_SCHEDULER_ADDRESS),
                YarnConfiguration.RM_RESOURCE_TRACKER_ADDRESS, yarn.get(YarnConfiguration.RM_RESOURCE_TRACKER_ADDRESS),
                YarnConfiguration.RM_ADMIN_ADDRESS, yarn.get(YarnConfiguration.RM_ADMIN_ADDRESS),
                YarnConfiguration.RM_WEBAPP_ADDRESS, yarn.get(YarnConfiguration.RM_WEBAPP_ADDRESS)));
    }

    private static void write(Path file, Map<String, String> properties) throws IOException {
        Configuration conf = new Configuration(false);
        properties.forEach(conf::set);
        try (OutputStream out = Files.newOutputStream(file)) {
            conf.writeXml(out);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
