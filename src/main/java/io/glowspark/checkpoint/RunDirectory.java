package io.glowspark.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A training run's directory on any Hadoop FileSystem (file:, hdfs:, s3a:):
 * <pre>
 *   checkpoints/ckpt-&lt;iteration&gt;.zip   complete checkpoints (see {@link CheckpointStore})
 *   metrics.jsonl                      one JSON object per line, an {@link EpochMetrics}
 *   samples/                           sample image grids (PNG)
 *   config.conf                        the resolved configuration of the run
 *   MANIFEST.json                      latest and best checkpoint
 *   LOCK                               held by the one job writing here (see {@link RunLock})
 * </pre>
 * Every file is replaced atomically (see {@link AtomicFiles}). Writing is for the holder of the lock alone: every
 * write of this object checks that its {@link #lock} is still held, and fails once it is not. Nothing is created
 * until the lock is taken. A write that fails because the file system is unavailable is done again from its start,
 * with growing pauses, while the lock holds (see {@link #write}).
 */
public final class RunDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(RunDirectory.class);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(250);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(4);

    /** One write of the run directory, which can be done again from its start after a failure. */
    @FunctionalInterface
    interface Write<T> {
        T run() throws IOException;
    }

    private final FileSystem fs;
    private final Path root;
    private RunLock lock;

    private RunDirectory(FileSystem fs, Path root) {
        this.fs = fs;
        this.root = root;
    }

    /**
     * The run directory at {@code uri}, with a file-system client that waits as {@code hadoopConf} says (see
     * {@link FileSystemTimeouts}): Hadoop's shared client for that file system if it does, else a client of its own.
     */
    public static RunDirectory open(URI uri, Configuration hadoopConf) throws IOException {
        FileSystem fs = FileSystem.get(uri, hadoopConf);
        if (!FileSystemTimeouts.sameBounds(fs.getConf(), hadoopConf)) {
            LOG.info("The shared client of {} was made with other timeouts; the run directory gets a client of its own",
                    fs.getUri());
            fs = FileSystem.newInstance(uri, hadoopConf);
        }
        return new RunDirectory(fs, fs.makeQualified(new Path(uri)));
    }

    public static RunDirectory open(String uri, Configuration hadoopConf) throws IOException {
        return open(new Path(uri).toUri(), hadoopConf);
    }

    public FileSystem fileSystem() {
        return fs;
    }

    public Path root() {
        return root;
    }

    public Path checkpointsDir() {
        return new Path(root, "checkpoints");
    }

    public Path samplesDir() {
        return new Path(root, "samples");
    }

    public Path metricsFile() {
        return new Path(root, "metrics.jsonl");
    }

    public Path configFile() {
        return new Path(root, "config.conf");
    }

    public Path manifestFile() {
        return new Path(root, "MANIFEST.json");
    }

    public Path lockFile() {
        return new Path(root, "LOCK");
    }

    /**
     * Appends one line to {@code metrics.jsonl}.
     *
     * <p>Done as read-old + write-all-to-temp + rename rather than FileSystem.append: s3a has no append, and an HDFS
     * append after a crashed writer fails until the NameNode recovers the dead writer's lease (a minute or more), while
     * a torn append leaves a partial line. Rewriting costs O(file size) per line, which is small next to a training
     * step for a few thousand lines; log at most every few iterations.
     */
    public void appendMetrics(EpochMetrics metrics) throws IOException {
        byte[] line = metricsLine(metrics);
        write(metricsFile(), () -> {
            byte[] old = readIfExists(metricsFile()).orElse(new byte[0]);
            AtomicFiles.write(fs, metricsFile(), this::checkWritable, out -> {
                out.write(old);
                out.write(line);
            });
            return null;
        });
    }

    /**
     * Keeps the metrics of the first {@code epochs} completed epochs (epoch 0 is the line after the initialization
     * pass) and drops the rest, saying which: a run resuming from a checkpoint taken after {@code epochs} epochs
     * trains, and logs, the later ones again. A line that is not a metrics record is dropped with a warning. A
     * negative count drops every line.
     */
    public void keepMetricsOfEpochs(int epochs) throws IOException {
        write(metricsFile(), () -> {
            keepMetricsOfEpochsOnce(epochs);
            return null;
        });
    }

    private void keepMetricsOfEpochsOnce(int epochs) throws IOException {
        List<String> lines = metricsLines();
        List<EpochMetrics> kept = new ArrayList<>();
        List<Integer> dropped = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            try {
                EpochMetrics metrics = parseMetrics(i, lines.get(i));
                if (metrics.epoch() <= epochs) {
                    kept.add(metrics);
                } else {
                    dropped.add(metrics.epoch());
                }
            } catch (DamagedFileException e) {
                LOG.warn("Dropping a line that is not a metrics record: {}", e.getMessage());
            }
        }
        if (!dropped.isEmpty()) {
            LOG.info("Dropping the metrics of epochs {} from {}: they are trained again from a checkpoint taken before them",
                    dropped, metricsFile());
        }
        if (kept.size() != lines.size()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (EpochMetrics metrics : kept) {
                bytes.write(metricsLine(metrics));
            }
            AtomicFiles.write(fs, metricsFile(), this::checkWritable, bytes::writeTo);
        }
    }

    /** The records of {@code metrics.jsonl} in order, empty if there is none yet. */
    public List<EpochMetrics> readMetrics() throws IOException {
        List<String> lines = metricsLines();
        List<EpochMetrics> metrics = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            metrics.add(parseMetrics(i, lines.get(i)));
        }
        return metrics;
    }

    private List<String> metricsLines() throws IOException {
        Optional<byte[]> bytes = readIfExists(metricsFile());
        return bytes.isEmpty() ? List.of()
                : new String(bytes.get(), StandardCharsets.UTF_8).lines().filter(line -> !line.isBlank()).toList();
    }

    private static byte[] metricsLine(EpochMetrics metrics) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        line.write(Json.write(metrics));
        line.write('\n');
        return line.toByteArray();
    }

    /** One line, numbered from 0; a line that is not a metrics record is damage, named by file and line number. */
    private EpochMetrics parseMetrics(int index, String line) throws DamagedFileException {
        try {
            return Json.read(line.getBytes(StandardCharsets.UTF_8), EpochMetrics.class);
        } catch (IOException | IllegalArgumentException e) {
            String problem = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
            throw new DamagedFileException(metricsFile() + " line " + (index + 1), "not a metrics record ("
                    + problem.lines().findFirst().orElse("") + "): " + line);
        }
    }

    /** Writes {@code samples/<fileName>}, replacing it if it exists. */
    public void writeSample(String fileName, byte[] png) throws IOException {
        if (fileName.isEmpty() || fileName.contains("/") || fileName.contains("\\") || fileName.startsWith(".")) {
            throw new IllegalArgumentException("A sample needs a plain file name, got '" + fileName + "'");
        }
        Path file = new Path(samplesDir(), fileName);
        write(file, () -> {
            AtomicFiles.write(fs, file, this::checkWritable, out -> out.write(png));
            return null;
        });
    }

    /** Saves the resolved configuration text as {@code config.conf}. */
    public void writeConfig(String resolvedConfig) throws IOException {
        byte[] bytes = resolvedConfig.getBytes(StandardCharsets.UTF_8);
        write(configFile(), () -> {
            AtomicFiles.write(fs, configFile(), this::checkWritable, out -> out.write(bytes));
            return null;
        });
    }

    public Optional<String> readConfig() throws IOException {
        return readIfExists(configFile()).map(b -> new String(b, StandardCharsets.UTF_8));
    }

    /**
     * Moves everything a previous run left here (checkpoints, manifest, metrics, samples, configuration) into
     * {@code previous/<timestamp>/}, by renames only, so a fresh run starts empty and nothing is lost.
     * The caller holds the lock, which stays in place. Returns the archive directory.
     */
    public String archivePreviousRun() throws IOException {
        Path archive = new Path(new Path(root, "previous"), String.valueOf(System.currentTimeMillis()));
        write(root, () -> {
            try {
                if (!fs.mkdirs(archive)) {
                    throw new IOException("could not create " + archive);
                }
                for (Path p : List.of(checkpointsDir(), samplesDir(), metricsFile(), configFile(), manifestFile())) {
                    checkWritable();
                    if (fs.exists(p) && !fs.rename(p, new Path(archive, p.getName()))) {
                        throw new IOException("could not move " + p + " to " + archive);
                    }
                }
            } catch (IOException | FSError e) {
                throw FileSystemFaults.classify(root, "cannot move the previous run to " + archive, e);
            }
            return null;
        });
        return archive.toString();
    }

    public CheckpointStore checkpoints(int keepLast, boolean keepBest) {
        return new CheckpointStore(this, keepLast, keepBest);
    }

    /** Takes the run's lock with the default lease, or throws {@link RunLockedException}. */
    public RunLock lock() throws IOException {
        return lock(RunLock.DEFAULT_LEASE, RunLock.DEFAULT_RENEW_EVERY);
    }

    /**
     * Creates the run directory if it does not exist and takes its lock, which this object's writes then require.
     *
     * @throws StorageException    if the directory cannot be created (a path under a file, a file, no permission)
     * @throws RunLockedException  if another job holds the lock
     * @throws FileSystemUnavailableException if the file system is unavailable
     */
    public RunLock lock(Duration lease, Duration renewEvery) throws IOException {
        createIfMissing();
        lock = RunLock.acquire(fs, lockFile(), lease, renewEvery);
        return lock;
    }

    /** Throws unless this object holds the run's lock, still valid; every write calls it first. */
    void checkWritable() throws IOException {
        if (lock == null) {
            throw new IllegalStateException("writing " + root + " needs its lock; take it first (lock())");
        }
        lock.checkHeld();
    }

    /**
     * Does {@code write} of {@code target} while this job holds the lock. While it fails because the file system is
     * unavailable, it is done again after pauses doubling from a quarter of a second to 4 seconds, each one said in the
     * log, until the lock is lost ({@link LockLostException}), or for at most the lease if renewals go on while this
     * write fails.
     */
    <T> T write(Object target, Write<T> write) throws IOException {
        long start = System.nanoTime();
        Duration pause = FIRST_PAUSE;
        for (int attempt = 1; ; attempt++) {
            checkWritable();
            try {
                T result = write.run();
                if (attempt > 1) {
                    LOG.info("Wrote {} at attempt {}, {} s after the first failed", target, attempt,
                            (System.nanoTime() - start) / 1_000_000_000);
                }
                return result;
            } catch (IOException e) {
                if (e instanceof LockLostException || !FileSystemFaults.isUnavailability(e)
                        || System.nanoTime() - start > lock.lease().toNanos()) {
                    throw e;
                }
                long untilLost = Math.max(0, lock.writableUntil().toEpochMilli() - System.currentTimeMillis());
                long millis = Math.min(pause.toMillis(), untilLost + 1);
                LOG.warn("Could not write {}: the file system is unavailable ({}); trying again in {} ms (attempt {}; "
                        + "this job may write until {} unless its lock is renewed)", target,
                        FileSystemFaults.describe(FileSystemFaults.unavailability(e)), millis, attempt + 1,
                        lock.writableUntil());
                pause(millis);
                pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
            }
        }
    }

    private static void pause(long millis) throws InterruptedIOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the file system");
        }
    }

    private void createIfMissing() throws IOException {
        try {
            if (fs.exists(root)) {
                if (!fs.getFileStatus(root).isDirectory()) {
                    throw new StorageException(root, "cannot be the run directory: it is a file", null);
                }
            } else if (!fs.mkdirs(root)) {
                throw new StorageException(root, "cannot create the run directory", null);
            }
        } catch (IOException | FSError e) {
            throw FileSystemFaults.classify(root, "cannot create the run directory", e);
        }
    }

    @Override
    public String toString() {
        return root.toString();
    }

    private Optional<byte[]> readIfExists(Path file) throws IOException {
        return AtomicFiles.readAll(fs, file);
    }
}
