package io.glowspark.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

@Tag("slow")
class StandaloneClusterTest {

  @Test
  void executorsAreSeparateWorkerJvmsThatRunNd4j() {
    long testPid = ProcessHandle.current().pid();
    try (StandaloneCluster cluster = StandaloneCluster.start(2);
         JavaSparkContext sc = cluster.newContext("standalone-cluster-test")) {
      // Per partition: the executor JVM's pid and a sum computed by ND4J's native backend in that JVM.
      List<Tuple2<Long, Double>> results = sc.parallelize(List.of(1, 2), 2)
          .mapPartitions(ignored -> List.of(new Tuple2<>(ProcessHandle.current().pid(),
              Nd4j.create(new float[] {1, 2, 3}).sumNumber().doubleValue())).iterator())
          .collect();

      assertEquals(2, results.size());
      Set<Long> pids = new HashSet<>();
      for (Tuple2<Long, Double> result : results) {
        pids.add(result._1());
        assertEquals(6.0, result._2(), 1e-6, "ND4J sum in executor " + result._1());
        Optional<Long> parent = ProcessHandle.of(result._1()).flatMap(ProcessHandle::parent).map(ProcessHandle::pid);
        assertTrue(parent.isPresent() && cluster.daemonPids().contains(parent.get()),
            "executor " + result._1() + " should be a child of a worker " + cluster.daemonPids());
      }
      assertEquals(2, pids.size(), "the two partitions ran in two executor JVMs: " + results);
      assertFalse(pids.contains(testPid), "no partition ran in the test JVM " + testPid);
    }
  }
}
