package io.glowspark.checkpoint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;

/**
 * How long the Hadoop client may wait for a file system, in one place. Hadoop's defaults wait without a bound for a
 * NameNode that accepts connections and never answers (a frozen process: no RPC timeout), for 15 minutes for one
 * whose host does not answer (45 connection attempts of 20 s), and 10 s for one that is down (10 more attempts a
 * second apart). Here a call is one connection attempt and one answer, each waited for at most a sixth of the run
 * lock's lease (between 2 and 30 seconds), so that a call started just before the last moment {@link RunLock} allows
 * a write ends within the third of the lease left after it. The job itself tries a failed call again while its lease
 * holds. Settings the user's Hadoop configuration makes (site files, {@code spark.hadoop.*}) are kept.
 */
public final class FileSystemTimeouts {

    private static final Duration SHORTEST = Duration.ofSeconds(2);
    private static final Duration LONGEST = Duration.ofSeconds(30);

    private FileSystemTimeouts() {
    }

    /** The bound on each wait of the client for a job whose lock has a lease of {@code lease}. */
    public static Duration of(Duration lease) {
        Duration sixth = lease.dividedBy(6);
        return sixth.compareTo(SHORTEST) < 0 ? SHORTEST : sixth.compareTo(LONGEST) > 0 ? LONGEST : sixth;
    }

    /** The settings, key to value, that bound the client's waits for a lease of {@code lease}. */
    static Map<String, String> settings(Duration lease) {
        String millis = String.valueOf(of(lease).toMillis());
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("ipc.client.connect.timeout", millis);
        settings.put("ipc.client.connect.max.retries.on.timeouts", "0");
        settings.put("ipc.client.connect.max.retries", "0");
        settings.put("ipc.client.rpc-timeout.ms", millis);
        settings.put("dfs.client.socket-timeout", millis); // reading from a DataNode
        settings.put("dfs.datanode.socket.write.timeout", millis); // the client writing to a DataNode
        return settings;
    }

    /**
     * Sets in {@code conf} the bounds its user did not set; returns them as key=value, empty if the user set all.
     * Must run before the job's first file-system call: Hadoop caches a file system client with the configuration it
     * was first made with.
     */
    public static List<String> apply(Configuration conf, Duration lease) {
        List<String> applied = new ArrayList<>();
        settings(lease).forEach((key, value) -> {
            if (!setByUser(conf, key)) {
                conf.set(key, value, "glow-spark: a sixth of checkpoint.lock-lease-seconds");
                applied.add(key + "=" + value);
            }
        });
        return applied;
    }

    /** True if a client made with configuration {@code actual} waits as one made with {@code expected} would. */
    static boolean sameBounds(Configuration actual, Configuration expected) {
        return settings(Duration.ZERO).keySet().stream()
                .allMatch(key -> String.valueOf(expected.get(key)).equals(String.valueOf(actual.get(key))));
    }

    private static boolean setByUser(Configuration conf, String key) {
        String[] sources = conf.getPropertySources(key);
        return sources != null && Arrays.stream(sources).anyMatch(source -> !source.endsWith("-default.xml"));
    }
}
