package io.glowspark.cli;

import io.glowspark.testing.SparkHome;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The spark-submit command submit/cluster.sh builds for Kubernetes, where there is no cluster to run it on here
 * (standalone and YARN run it for real: StandaloneClusterTrainingTest, YarnTrainingTest).
 */
class ClusterScriptTest {

    private record Result(int exitCode, String output) {
    }

    @Test
    void kubernetesGetsTheImageTheExecutorsAskedForAndNoDynamicAllocation() throws Exception {
        Result dryRun = clusterSh("--master", "k8s://https://api:6443", "--deploy-mode", "cluster", "--image",
                "glow-spark:0.1", "--jar", "local:///opt/glow-spark/app.jar", "--num-executors", "3",
                "--executor-cores", "2", "--spark-conf", "spark.kubernetes.namespace=ml", "--dry-run", "train.epochs=20");

        assertEquals(0, dryRun.exitCode(), dryRun.output());
        String command = String.join(" ", dryRun.output().replace("\\\n", " ").split("\\s+"));
        for (String part : List.of("spark-submit --master k8s://https://api:6443 --deploy-mode cluster",
                "--executor-cores 2", "--num-executors 3", "--conf spark.kubernetes.container.image=glow-spark:0.1",
                "--conf spark.dynamicAllocation.enabled=false", "--conf spark.kubernetes.namespace=ml",
                "--conf spark.kubernetes.driverEnv.MALLOC_ARENA_MAX=2", "--conf spark.executorEnv.MALLOC_ARENA_MAX=2",
                "--conf spark.executor.extraJavaOptions=-XX:+IgnoreUnrecognizedVMOptions\\ --add-opens",
                "local:///opt/glow-spark/app.jar --conf cluster.conf train.epochs=20")) {
            assertTrue(command.contains(part), part + " in\n" + dryRun.output());
        }
    }

    @Test
    void kubernetesWithoutAnImageIsRefused() throws Exception {
        Result refused = clusterSh("--master", "k8s://https://api:6443", "--jar", "local:///opt/app.jar", "--dry-run");

        assertEquals(1, refused.exitCode(), refused.output());
        assertTrue(refused.output().contains("Kubernetes needs --image"), refused.output());
    }

    private static Result clusterSh(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", SparkHome.repoRoot().resolve("submit/cluster.sh").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("cluster.sh still running after 30 s:\n" + output);
        }
        return new Result(process.exitValue(), output);
    }
}
