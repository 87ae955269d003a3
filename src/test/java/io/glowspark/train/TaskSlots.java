package io.glowspark.train;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.TaskInfo;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** Which executors ran the tasks of each stage, and how many of them ran at once: a listener on the driver. */
final class TaskSlots extends SparkListener {

    private record Task(String executor, long launched, long finished) {
    }

    /** A stage's successful tasks. */
    record Stage(int id, String name, List<Task> runs) {

        int tasks() {
            return runs.size();
        }

        /** Tasks per executor, in executor order. */
        List<Long> tasksPerExecutor() {
            return List.copyOf(runs.stream().collect(Collectors.groupingBy(Task::executor, TreeMap::new,
                    Collectors.counting())).values());
        }

        /** The most tasks that ran at the same time. */
        int mostAtOnce() {
            int most = 0;
            for (Task task : runs) {
                long running = runs.stream().filter(t -> t.launched() <= task.launched() && task.launched() < t.finished())
                        .count();
                most = Math.max(most, (int) running);
            }
            return most;
        }

        @Override
        public String toString() {
            return "stage " + id + " '" + name + "': " + tasks() + " tasks, per executor " + tasksPerExecutor()
                    + ", at most " + mostAtOnce() + " at once";
        }
    }

    private final Map<Integer, String> names = new ConcurrentHashMap<>();
    private final Map<Integer, List<Task>> tasks = new ConcurrentHashMap<>();

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted event) {
        names.put(event.stageInfo().stageId(), event.stageInfo().name());
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd event) {
        TaskInfo info = event.taskInfo();
        if (info.successful()) {
            tasks.computeIfAbsent(event.stageId(), id -> new CopyOnWriteArrayList<>())
                    .add(new Task(info.executorId(), info.launchTime(), info.finishTime()));
        }
    }

    /** The stages whose name (Spark's call site) contains {@code text}, in order. */
    List<Stage> stages(String text) {
        return all().stream().filter(s -> s.name().contains(text)).toList();
    }

    private List<Stage> all() {
        return new TreeMap<>(tasks).entrySet().stream()
                .map(e -> new Stage(e.getKey(), names.getOrDefault(e.getKey(), "?"), List.copyOf(e.getValue())))
                .toList();
    }

    @Override
    public String toString() {
        return all().stream().map(Stage::toString).collect(Collectors.joining("\n", "stages:\n", ""));
    }
}
