package io.glowspark.bench;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;
import org.apache.spark.executor.TaskMetrics;
import scala.collection.JavaConverters;

import com.sun.management.OperatingSystemMXBean;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The timeline of the training rounds of a Spark application, from its listener events: for each averaging round
 * (a job whose stages include dl4j-spark's treeAggregate of the replicas' results), when the job was submitted, its
 * tasks launched and finished, the CPU time they used, the bytes their results and shuffles carried, and when the
 * job ended; and the CPU time the driver's process had used when each round's job started. CPU times, unlike wall
 * times, hardly change with the load other processes put on the machine.
 */
final class RoundTimes extends SparkListener {

    /** One task of a round's job. */
    record Task(int stageId, long launchMillis, long finishMillis, long runMillis, long deserializeMillis,
                double cpuMillis, long resultBytes, long shuffleWriteBytes) {
    }

    /** One round's job, its tasks in the order they ended. */
    record Round(int jobId, long startMillis, long endMillis, double driverCpuMillisAtStart, int finalStageId,
                 int stages, List<Task> tasks) {

        long launchMillis() {
            return tasks.stream().mapToLong(Task::launchMillis).min().orElse(startMillis) - startMillis;
        }

        long lastTaskFinishMillis() {
            return tasks.stream().mapToLong(Task::finishMillis).max().orElse(endMillis);
        }

        /** From the job's end back to its last task's end: the driver taking the results in and merging them. */
        long resultsMillis() {
            return endMillis - lastTaskFinishMillis();
        }

        long tasksSpanMillis() {
            return lastTaskFinishMillis() - startMillis - launchMillis();
        }

        long resultBytesToDriver() {
            return tasks.stream().filter(t -> t.stageId() == finalStageId).mapToLong(Task::resultBytes).sum();
        }

        long shuffleBytes() {
            return tasks.stream().mapToLong(Task::shuffleWriteBytes).sum();
        }

        long maxResultBytesPerTask() {
            return tasks.stream().mapToLong(Task::resultBytes).max().orElse(0);
        }

        double meanTaskCpuMillis() {
            return tasks.stream().mapToDouble(Task::cpuMillis).average().orElse(0);
        }
    }

    private static final String ROUND_STAGE = "treeAggregate";

    private final Map<Integer, Integer> jobOfStage = new ConcurrentHashMap<>();
    private final Map<Integer, long[]> jobTimes = new ConcurrentHashMap<>();
    private final Map<Integer, Double> driverCpuAtStart = new ConcurrentHashMap<>();
    private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final Map<Integer, Integer> finalStage = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> stageCount = new ConcurrentHashMap<>();
    private final Map<Integer, List<Task>> tasks = new ConcurrentHashMap<>();

    @Override
    public void onJobStart(SparkListenerJobStart start) {
        List<StageInfo> stages = JavaConverters.seqAsJavaList(start.stageInfos());
        if (stages.stream().noneMatch(s -> s.name().contains(ROUND_STAGE))) {
            return;
        }
        stages.forEach(s -> jobOfStage.put(s.stageId(), start.jobId()));
        finalStage.put(start.jobId(), stages.stream().mapToInt(StageInfo::stageId).max().orElseThrow());
        stageCount.put(start.jobId(), stages.size());
        jobTimes.put(start.jobId(), new long[] {start.time(), -1});
        driverCpuAtStart.put(start.jobId(), os.getProcessCpuTime() / 1e6);
        tasks.put(start.jobId(), java.util.Collections.synchronizedList(new ArrayList<>()));
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        Integer job = jobOfStage.get(end.stageId());
        if (job == null || end.taskMetrics() == null) {
            return;
        }
        TaskMetrics m = end.taskMetrics();
        tasks.get(job).add(new Task(end.stageId(), end.taskInfo().launchTime(), end.taskInfo().finishTime(),
                m.executorRunTime(), m.executorDeserializeTime(),
                (m.executorCpuTime() + m.executorDeserializeCpuTime()) / 1e6, m.resultSize(),
                m.shuffleWriteMetrics().bytesWritten()));
    }

    @Override
    public void onJobEnd(SparkListenerJobEnd end) {
        long[] times = jobTimes.get(end.jobId());
        if (times != null) {
            times[1] = end.time();
        }
    }

    /** The rounds whose jobs have ended, in submission order. */
    synchronized List<Round> rounds() {
        List<Round> rounds = new ArrayList<>();
        jobTimes.forEach((job, times) -> {
            if (times[1] >= 0) {
                rounds.add(new Round(job, times[0], times[1], driverCpuAtStart.get(job), finalStage.get(job),
                        stageCount.get(job),
                        List.copyOf(tasks.get(job))));
            }
        });
        rounds.sort(Comparator.comparingInt(Round::jobId));
        return rounds;
    }

    synchronized void clear() {
        jobOfStage.clear();
        jobTimes.clear();
        driverCpuAtStart.clear();
        finalStage.clear();
        stageCount.clear();
        tasks.clear();
    }
}
