package io.glowspark.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glowspark.checkpoint.CheckpointStore;
import io.glowspark.checkpoint.RestoredCheckpoint;
import io.glowspark.checkpoint.RunDirectory;
import io.glowspark.layer.GlowNetwork;
import io.glowspark.testing.MiniHdfs;
import io.glowspark.testing.MiniYarn;
import io.glowspark.testing.SparkHome;
import io.glowspark.testing.ThinApplication;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The job on a real YARN, submitted as a user submits it: {@code submit/cluster.sh --master yarn}, with the Spark
 * home's YARN module, against hadoop-client-minicluster's ResourceManager and two NodeManagers (in this JVM) and a
 * MiniDFS that holds MNIST, the application jar and the run directories. Executors run in YARN containers, JVMs of
 * their own; in cluster mode so does the driver.
 */
@Tag("slow")
class YarnTrainingTest {

    /** A bound on waiting for a job, far above what it takes: only a job that hangs should reach it. */
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final String EXECUTOR = "org.apache.spark.executor.YarnCoarseGrainedExecutorBackend";
    private static final String APPLICATION_MASTER = "org.apache.spark.deploy.yarn.ApplicationMaster";
    private static final java.nio.file.Path LOGS = java.nio.file.Path.of("target", "driver-logs");

    private static MiniHdfs hdfs;
    private static MiniYarn yarn;
    private static URI mnist;
    private static String jar;
    private static final List<Process> submissions = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws IOException, InterruptedException {
        hdfs = new MiniHdfs("yarn");
        yarn = MiniYarn.start("yarn", hdfs, 2);
        mnist = SmallRun.mnistOn(hdfs);
        java.nio.file.Path thin = ThinApplication.jar(java.nio.file.Path.of("target", "yarn-app", "glow-spark.jar"));
        jar = hdfs.copy("/apps", List.of(thin)) + "/" + thin.getFileName();
    }

    @AfterEach
    void killSubmissionsLeftRunning() throws InterruptedException {
        for (Process submission : submissions) {
            submission.destroyForcibly().waitFor();
        }
        submissions.clear();
    }

    @AfterAll
    static void stop() {
        if (yarn != null) {
            yarn.close();
        }
        if (hdfs != null) {
            hdfs.close();
        }
    }

    @Test
    void clientModeTrainsOnEveryExecutorAndCompletesAfterAnExecutorIsKilledMidRound() throws Exception {
        int uiPort = freePort();
        String name = "yarn-client";
        // One averaging round per epoch, of a model large enough that the round's tasks run for seconds: the kill
        // lands in a task, not between two short ones; two epochs after the first checkpoint to find one in.
        Process driver = submit(name, "client", List.of("spark.ui.port=" + uiPort),
                job(name, "data.train-limit=4096", "train.epochs=3", "checkpoint.every-iterations=4",
                        "spark.averaging-frequency=64", "model.hidden-channels=64"));
        RunDirectory run = run(name);
        GlowSparkJob.awaitCheckpoint(run, driver, TIMEOUT);
        Map<String, ProcessHandle> executors = executorJvms();
        String executor = awaitBusyExecutor(uiPort, driver, executors.keySet());
        assertTrue(executors.get(executor).destroyForcibly(), "SIGKILL to executor " + executor);

        assertEquals(0, GlowSparkJob.exitCode(driver, TIMEOUT), () -> log(name));
        String log = log(name);
        assertTrue(log.contains("2 workers: 2 executors with 2 task slots registered"), log);
        assertTrue(log.contains("ExecutorLostFailure (executor " + executor + " exited"),
                "the killed executor was running a task of the job:\n" + log);
        assertEquals(List.of("0/0/0", "1/64/4096", "2/128/8192", "3/192/12288"), SmallRun.positions(run.readMetrics()),
                "every epoch once, every image of it trained");
        assertEveryCheckpointLoads(run);
        String application = yarn.application(name).orElseThrow().getApplicationId().toString();
        assertTrue(yarn.containers(application, EXECUTOR).size() >= 2,
                "executors in YARN containers: " + yarn.containers(application, EXECUTOR));
    }

    @Test
    void clusterModeRunsTheDriverInTheApplicationMasterAndSucceedsInOneAttempt() throws Exception {
        String name = "yarn-cluster";
        Process driver = submit(name, "cluster", List.of(), job(name));

        assertEquals(0, GlowSparkJob.exitCode(driver, TIMEOUT), () -> log(name));
        ApplicationReport report = yarn.application(name).orElseThrow();
        assertEquals(FinalApplicationStatus.SUCCEEDED, report.getFinalApplicationStatus(), report.getDiagnostics());
        assertEquals(1, report.getCurrentApplicationAttemptId().getAttemptId(), "YARN ran the job once");
        String application = report.getApplicationId().toString();
        List<java.nio.file.Path> masters = yarn.containers(application, APPLICATION_MASTER);
        assertEquals(1, masters.size(), masters.toString());
        String driverLog = Files.readString(masters.get(0).resolve("stderr"));
        assertTrue(driverLog.contains("2 workers: 2 executors with 2 task slots registered"), driverLog);
        assertTrue(driverLog.contains("done: 2 epochs"), driverLog);
        assertEquals(2, yarn.containers(application, EXECUTOR).size(), "an executor container each");
        assertEquals(List.of("0/0/0", "1/8/512", "2/16/1024"), SmallRun.positions(run(name).readMetrics()));
    }

    @Test
    void dynamicAllocationIsRefusedNamingTheSettingBeforeAnApplicationIsSubmitted() throws Exception {
        String name = "yarn-dynamic-allocation";
        Process driver = submit(name, "client", List.of("spark.dynamicAllocation.enabled=true"), job(name));

        assertEquals(2, GlowSparkJob.exitCode(driver, TIMEOUT), () -> log(name));
        assertTrue(log(name).contains("spark.dynamicAllocation.enabled=true: glow-spark trains with one worker per "
                + "task slot of the executors registered at its start"), () -> log(name));
        assertFalse(hdfs.fileSystem().exists(run(name).root()), "no run directory");
        assertTrue(yarn.application(name).isEmpty(), "nothing submitted to YARN");
    }

    /**
     * SmallRun's job, 512 training and 128 test images for 2 epochs on the executors that register (2 averaging
     * rounds of 2 workers x 4 iterations per epoch), over the cluster template conf/cluster.conf, then {@code more}.
     */
    private static List<String> job(String name, String... more) throws IOException {
        List<String> overrides = SmallRun.overrides(hdfs.uri("/runs/" + name).toString(), mnist,
                "data.train-limit=512", "data.test-limit=128", "train.epochs=2", "spark.workers=0");
        overrides.addAll(List.of(more));
        return overrides;
    }

    private static RunDirectory run(String name) throws IOException {
        return RunDirectory.open(hdfs.uri("/runs/" + name), hdfs.configuration());
    }

    /**
     * submit/cluster.sh with 2 executors of 1 core, the application jar on HDFS, Spark's own jars from the Spark home
     * every node of this cluster can read (spark.yarn.jars) rather than uploaded for each job, Spark on loopback, and
     * {@code sparkConfs}.
     */
    private static Process submit(String name, String deployMode, List<String> sparkConfs, List<String> overrides)
            throws IOException {
        java.nio.file.Path repo = SparkHome.repoRoot();
        String dependencies = ThinApplication.dependencies();
        List<String> command = new ArrayList<>(List.of("bash", repo.resolve("submit/cluster.sh").toString(),
                "--master", "yarn", "--deploy-mode", deployMode, "--name", name, "--jar", jar,
                "--num-executors", "2", "--executor-cores", "1", "--executor-memory", "512m",
                "--memory-overhead", "512m", "--driver-memory", "512m"));
        List<String> confs = new ArrayList<>(List.of("spark.yarn.jars=local:" + SparkHome.jars() + "/*",
                "spark.driver.extraClassPath=" + dependencies, "spark.executor.extraClassPath=" + dependencies,
                // this cluster is this machine only: Spark in the containers on loopback, not another interface
                "spark.yarn.appMasterEnv.SPARK_LOCAL_IP=127.0.0.1", "spark.executorEnv.SPARK_LOCAL_IP=127.0.0.1"));
        confs.addAll(sparkConfs);
        for (String conf : confs) {
            command.add("--spark-conf");
            command.add(conf);
        }
        command.addAll(overrides);
        Files.createDirectories(LOGS);
        ProcessBuilder builder = new ProcessBuilder(command).directory(repo.toFile())
                .redirectErrorStream(true).redirectOutput(LOGS.resolve(name + ".log").toFile());
        builder.environment().put("HADOOP_CONF_DIR", yarn.confDir().toString());
        builder.environment().put("SPARK_HOME", SparkHome.get().toString());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        submissions.add(process);
        return process;
    }

    private static String log(String name) {
        try {
            return Files.readString(LOGS.resolve(name + ".log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /**
     * The id of one of {@code executors} running a training task that started less than 2 s ago, from the
     * driver's REST API (its web UI, on loopback): a round's tasks run for several seconds, so a kill now lands inside one.
     * An executor's busy count in the API lags behind and the scoring tasks are short; neither makes a safe target.
     * Fails if the driver exits first.
     */
    private static String awaitBusyExecutor(int uiPort, Process driver, Set<String> executors) throws Exception {
        ObjectMapper json = new ObjectMapper();
        String api = "http://127.0.0.1:" + uiPort + "/api/v1/applications";
        DateTimeFormatter sparkTime = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'GMT'").withZone(ZoneOffset.UTC);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!driver.isAlive()) {
                throw new AssertionError("the driver exited with " + driver.exitValue() + " before an executor was busy");
            }
            try {
                String application = api + "/" + json.readTree(new URL(api)).get(0).get("id").asText();
                for (JsonNode stage : json.readTree(new URL(application + "/stages?status=active"))) {
                    if (stage.get("name").asText().contains("GlowTrainer")) {
                        continue; // the test set's scoring
                    }
                    URL running = new URL(application + "/stages/" + stage.get("stageId").asInt() + "/"
                            + stage.get("attemptId").asInt() + "/taskList?status=RUNNING");
                    for (JsonNode task : json.readTree(running)) {
                        Instant launched = Instant.from(sparkTime.parse(task.get("launchTime").asText()));
                        String executor = task.get("executorId").asText();
                        if (executors.contains(executor) && launched.isAfter(Instant.now().minusSeconds(2))) {
                            return executor;
                        }
                    }
                }
            } catch (IOException notUpYet) {
                // the web UI starts with the Spark context
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no executor started a training task within " + TIMEOUT);
    }

    /** The executors' container JVMs by executor id: processes the NodeManagers started, descendants of this JVM. */
    private static Map<String, ProcessHandle> executorJvms() {
        Map<String, ProcessHandle> jvms = new HashMap<>();
        for (ProcessHandle jvm : MiniYarn.containerJvms(EXECUTOR)) {
            List<String> args = List.of(jvm.info().arguments().orElse(new String[0]));
            int at = args.indexOf("--executor-id");
            if (at >= 0 && at + 1 < args.size()) {
                jvms.put(args.get(at + 1), jvm);
            }
        }
        assertEquals(2, jvms.size(), "the executors' container JVMs: " + jvms);
        return jvms;
    }

    /** No checkpoint lost or damaged: every one listed loads, with finite parameters. */
    private static void assertEveryCheckpointLoads(RunDirectory run) throws IOException {
        CheckpointStore store = run.checkpoints(3, true);
        List<String> names = store.list();
        assertFalse(names.isEmpty(), "checkpoints");
        for (String checkpoint : names) {
            RestoredCheckpoint restored = RestoredCheckpoint.of(store, checkpoint);
            assertTrue(GlowNetwork.isFinite(restored.net().params()), checkpoint);
        }
        assertEquals(Optional.of(CheckpointStore.fileName(192)), store.latest(), "the last checkpoint: " + names);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
