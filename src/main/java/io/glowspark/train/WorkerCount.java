package io.glowspark.train;

import io.glowspark.config.SettingsException;
import io.glowspark.config.SparkSettings;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.status.api.v1.ExecutorSummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.collection.JavaConverters;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How many parameter-averaging workers a run trains with, fixed for the run: {@code spark.workers} when set, else
 * one per task slot (executor cores / {@code spark.task.cpus}) of the executors that registered. Spark's default
 * parallelism counts only the executors registered so far, and on a cluster they register over seconds after the
 * Spark context starts, so the driver first waits for the executors the application asked for, as Spark's own
 * scheduler settings describe: until {@code spark.scheduler.minRegisteredResourcesRatio} of them (here all of them
 * unless it is set) have registered, at most {@code spark.scheduler.maxRegisteredResourcesWaitingTime} (30 s) after
 * the context started, or after the first executor registered when none came in that time. What was asked for is
 * {@code spark.executor.instances} on YARN and Kubernetes (Spark's default 2) and {@code spark.cores.max} on a
 * standalone cluster; without it the driver waits the whole waiting time. The driver logs how many workers it uses
 * and why.
 */
public final class WorkerCount {

    private static final Logger log = LoggerFactory.getLogger(WorkerCount.class);
    private static final String RATIO = "spark.scheduler.minRegisteredResourcesRatio";
    private static final String WAITING_TIME = "spark.scheduler.maxRegisteredResourcesWaitingTime";
    private static final String DYNAMIC_ALLOCATION = "spark.dynamicAllocation.enabled";
    /** Spark's spark.executor.instances when unset on YARN and Kubernetes. */
    private static final int DEFAULT_EXECUTORS = 2;
    private static final long POLL_MILLIS = 100;

    private WorkerCount() {
    }

    /** The workers of a run on {@code sc}, waiting for its executors when the settings leave the number to them. */
    static int of(SparkSettings settings, int batchSizePerWorker, SparkContext sc) {
        if (settings.workers() > 0) {
            log.info("{} workers: spark.workers={}", settings.workers(), settings.workers());
            return settings.workers();
        }
        if (isLocal(sc.master())) {
            int threads = sc.defaultParallelism();
            int workers = inLocalMode(threads, batchSizePerWorker);
            if (workers == threads) {
                log.info("{} workers: the task threads of {}", workers, sc.master());
            } else {
                log.info("{} workers of the {} task threads of {}, each with {} OpenMP threads: more would pass {} "
                                + "images per averaged step at {} per worker (WorkerScaling)", workers, threads,
                        sc.master(), openMpThreadsInLocalMode(threads, workers), WorkerScaling.USEFUL_IMAGES_PER_STEP,
                        batchSizePerWorker);
            }
            return workers;
        }
        return awaitExecutors(sc);
    }

    /**
     * Local mode's workers: one per task thread, but no more than keep workers x batch within
     * {@link WorkerScaling#USEFUL_IMAGES_PER_STEP}. All replicas share one machine there, so the cores they leave go to
     * their OpenMP threads ({@link #openMpThreadsInLocalMode}) instead of to replicas that would need proportionally
     * more epochs for the same bits/dim.
     */
    static int inLocalMode(int taskThreads, int batchSizePerWorker) {
        return Math.max(1, Math.min(taskThreads, WorkerScaling.USEFUL_IMAGES_PER_STEP / batchSizePerWorker));
    }

    /** OpenMP threads of each local-mode worker when train.omp-threads leaves them to the job: the cores shared out. */
    static int openMpThreadsInLocalMode(int taskThreads, int workers) {
        return Math.max(1, taskThreads / workers);
    }

    /** OpenMP threads per worker when train.omp-threads=0: the task's cores on a cluster, a share of them locally. */
    static int openMpThreads(SparkContext sc, int workers) {
        return isLocal(sc.master()) ? openMpThreadsInLocalMode(sc.defaultParallelism(), workers)
                : sc.getConf().getInt("spark.task.cpus", 1);
    }

    /**
     * Refuses dynamic allocation before the Spark context starts: the job trains with one worker per task slot of
     * the executors there at its start, for the whole run, and executors Spark added or removed while it trains
     * would sit idle or take their workers' tasks with them. Spark ignores the setting in local mode, and so does
     * this.
     */
    public static void refuseDynamicAllocation(SparkConf conf) {
        if (conf.getBoolean(DYNAMIC_ALLOCATION, false) && !isLocal(conf.get("spark.master", ""))) {
            throw new SettingsException(List.of(DYNAMIC_ALLOCATION + "=true: glow-spark trains with one worker per "
                    + "task slot of the executors registered at its start, for the whole run; set " + DYNAMIC_ALLOCATION
                    + "=false and size the job with spark.executor.instances (--num-executors) and spark.executor.cores "
                    + "(a run stopped and started again on another number of executors resumes exactly)"));
        }
    }

    private static boolean isLocal(String master) {
        return master.equals("local") || master.startsWith("local[");
    }

    /** What the application asked the cluster for: executors, or cores on a standalone cluster. */
    private record Request(int amount, boolean cores, String setting) {

        static Optional<Request> of(SparkConf conf) {
            String master = conf.get("spark.master", "");
            if (master.equals("yarn") || master.startsWith("k8s://")) {
                int executors = conf.getInt("spark.executor.instances", DEFAULT_EXECUTORS);
                return Optional.of(new Request(executors, false, "spark.executor.instances=" + executors));
            }
            if (conf.contains("spark.cores.max")) {
                int max = conf.getInt("spark.cores.max", 0);
                int perExecutor = conf.getInt("spark.executor.cores", 0);
                int cores = perExecutor > 0 ? max / perExecutor * perExecutor : max; // whole executors only
                return Optional.of(new Request(cores, true, "spark.cores.max=" + max));
            }
            return Optional.empty();
        }

        boolean metBy(Registered registered, double ratio) {
            return (cores ? registered.cores() : registered.executors()) >= Math.ceil(ratio * amount);
        }

        String describe() {
            return amount + (cores ? " cores" : " executors") + " asked for (" + setting + ")";
        }
    }

    /** The executors registered now (the driver's own entry left out), their task slots, when the first came. */
    private record Registered(int executors, int cores, int slots, long firstMillis) {

        static Registered now(SparkContext sc, int taskCpus) {
            // Spark's public status tracker lists executors without their cores; its status store (what the web UI
            // shows) has both.
            List<ExecutorSummary> executors = JavaConverters.seqAsJavaList(sc.statusStore().executorList(true)).stream()
                    .filter(e -> !e.id().equals("driver"))
                    .toList();
            return new Registered(executors.size(), executors.stream().mapToInt(ExecutorSummary::totalCores).sum(),
                    executors.stream().mapToInt(e -> e.totalCores() / taskCpus).sum(),
                    executors.stream().mapToLong(e -> e.addTime().getTime()).min().orElse(Long.MAX_VALUE));
        }
    }

    /**
     * Waits until what was asked for has registered, or the waiting time has passed since the context started or,
     * on a cluster slow to start executors, since the first one registered; never starts without an executor.
     */
    private static int awaitExecutors(SparkContext sc) {
        SparkConf conf = sc.getConf();
        Optional<Request> request = Request.of(conf);
        double ratio = conf.getDouble(RATIO, 1.0);
        long waitMillis = conf.getTimeAsMs(WAITING_TIME, "30s");
        int taskCpus = conf.getInt("spark.task.cpus", 1);
        boolean warned = false;
        Registered registered = Registered.now(sc, taskCpus);
        while (registered.slots() == 0 || (!(request.isPresent() && request.get().metBy(registered, ratio))
                && System.currentTimeMillis() < Math.max(sc.startTime(), registered.firstMillis()) + waitMillis)) {
            if (sc.isStopped()) {
                throw new IllegalStateException("the Spark context stopped while the driver waited for executors");
            }
            if (!warned && registered.slots() == 0 && System.currentTimeMillis() >= sc.startTime() + waitMillis) {
                log.warn("no executor has registered {} after the Spark context started; waiting for the first (a "
                        + "cluster without room for them, or executors that fail to start: see their logs)",
                        secondsSince(sc.startTime()));
                warned = true;
            }
            sleep();
            registered = Registered.now(sc, taskCpus);
        }
        String found = registered.slots() + " workers: " + registered.executors() + " executors with "
                + registered.slots() + " task slots registered " + secondsSince(sc.startTime())
                + " after the Spark context started";
        if (request.isEmpty()) {
            log.info("{}, waiting {} after the first for the rest on a cluster whose size the settings do not give "
                    + "(spark.cores.max)", found, WAITING_TIME);
        } else if (request.get().metBy(registered, 1.0)) {
            log.info("{}, all of the {}", found, request.get().describe());
        } else if (request.get().metBy(registered, ratio)) {
            log.info("{}, {}={} of the {}", found, RATIO, ratio, request.get().describe());
        } else {
            log.warn("{}, fewer than the {}: the driver waits at most {}={} ms after the context started or the first "
                    + "executor registered; executors that register later sit idle in this run", found,
                    request.get().describe(), WAITING_TIME, waitMillis);
        }
        return registered.slots();
    }

    private static String secondsSince(long millis) {
        return String.format(Locale.ROOT, "%.1f s", (System.currentTimeMillis() - millis) / 1000.0);
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for executors", e);
        }
    }
}
