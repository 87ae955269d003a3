package io.glowspark.checkpoint;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Atomic checkpoints in {@code checkpoints/ckpt-<iteration>.zip}, the manifest naming the latest and best, retention.
 *
 * <p>Only the {@link RunLock} holder may call {@link #write}; any number of readers may read at any time.
 * A file named {@code ckpt-<digits>.zip} is always complete (it appears by one rename); readers trust the manifest
 * only when the file it names exists, and otherwise list the directory.
 */
public final class CheckpointStore {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
    private static final Pattern NAME = Pattern.compile("^ckpt-(\\d{12,})\\.zip$");

    private final RunDirectory run;
    private final FileSystem fs;
    private final Path dir;
    private final Path manifestFile;
    private final int keepLast;
    private final boolean keepBest;

    /**
     * @param keepLast complete checkpoints kept, newest first, >= 1
     * @param keepBest also keep the checkpoint with the lowest test bits/dim
     */
    public CheckpointStore(RunDirectory run, int keepLast, boolean keepBest) {
        if (keepLast < 1) {
            throw new IllegalArgumentException("keepLast must be >= 1, got " + keepLast);
        }
        this.run = run;
        this.fs = run.fileSystem();
        this.dir = run.checkpointsDir();
        this.manifestFile = run.manifestFile();
        this.keepLast = keepLast;
        this.keepBest = keepBest;
    }

    /** The file name of the checkpoint taken at {@code iteration}. */
    public static String fileName(long iteration) {
        return String.format("ckpt-%012d.zip", iteration);
    }

    /**
     * Writes a checkpoint, then the manifest, then deletes checkpoints no longer retained; each step only while the
     * run's lock is held, and done again while the file system is unavailable (see {@link RunDirectory#write}). If
     * anything fails before the checkpoint's rename, the run directory is as before.
     *
     * @return the file name of the new checkpoint
     */
    public String write(CheckpointMetadata metadata, ModelWriter model, ModelWriter polyakParameters) throws IOException {
        String name = fileName(metadata.iteration());
        Path target = new Path(dir, name);
        run.write(target, () -> {
            AtomicFiles.repair(fs, dir);
            Path tmp = AtomicFiles.writeTemporary(fs, target,
                    out -> CheckpointZip.write(out, metadata, model, polyakParameters));
            run.checkWritable();
            AtomicFiles.commit(fs, tmp, target);
            return null;
        });
        Manifest manifest = run.write(manifestFile, () -> writeManifest(name, metadata));
        run.write(dir, () -> {
            applyRetention(manifest);
            return null;
        });
        return name;
    }

    /** Names {@code name}, of {@code metadata}, the latest checkpoint, and the best if it is. */
    private Manifest writeManifest(String name, CheckpointMetadata metadata) throws IOException {
        Optional<Best> previousBest = best(readManifest());
        Best best = previousBest.filter(b -> !metadata.hasTestBpd() || b.testBpd <= metadata.testBpd())
                .orElse(metadata.hasTestBpd() ? new Best(name, metadata.testBpd()) : null);
        Manifest manifest = best == null
                ? new Manifest(name, null, Double.NaN, System.currentTimeMillis())
                : new Manifest(name, best.name, best.testBpd, System.currentTimeMillis());
        AtomicFiles.write(fs, manifestFile, run::checkWritable, out -> out.write(Json.write(manifest)));
        return manifest;
    }

    /** File names of the complete checkpoints, oldest first. Temporary files are never listed. */
    public List<String> list() throws IOException {
        List<String> names = new ArrayList<>();
        try {
            if (!fs.exists(dir)) {
                return List.of();
            }
            for (FileStatus status : fs.listStatus(dir)) {
                if (status.isFile() && NAME.matcher(status.getPath().getName()).matches()) {
                    names.add(status.getPath().getName());
                }
            }
        } catch (IOException | FSError e) {
            throw FileSystemFaults.classify(dir, "cannot list", e);
        }
        names.sort(Comparator.comparingLong(CheckpointStore::iterationOf));
        return names;
    }

    /** The newest complete checkpoint: the manifest's if that file exists, else the newest listed. */
    public Optional<String> latest() throws IOException {
        Optional<Manifest> manifest = readManifest();
        if (manifest.isPresent()) {
            return Optional.of(manifest.get().latest());
        }
        List<String> names = list();
        return names.isEmpty() ? Optional.empty() : Optional.of(names.get(names.size() - 1));
    }

    /** The checkpoint with the lowest test bits/dim, if any checkpoint has a test score. */
    public Optional<String> best() throws IOException {
        return best(readManifest()).map(b -> b.name);
    }

    /**
     * Loads and validates a checkpoint.
     *
     * @throws CheckpointException            if the file is missing, truncated, corrupted or not a checkpoint
     * @throws FileSystemUnavailableException if the file system is unavailable, {@link StorageException} if it refuses
     *                                        the read: then no other checkpoint should be tried instead
     */
    public Checkpoint open(String name) throws IOException {
        matchName(name);
        return read(name, true);
    }

    /** A checkpoint's metadata alone, read without its model. */
    public CheckpointMetadata metadata(String name) throws IOException {
        matchName(name);
        return read(name, false).metadata();
    }

    /**
     * File names of the complete checkpoints, newest first, in the order to try them when the newest cannot be used
     * (see {@link RestoredCheckpoint#newest}): by iteration, but the manifest's latest first. A run that resumed from
     * an older checkpoint because a newer one was damaged writes checkpoints of lower iterations than the damaged one,
     * which stays until retention removes it; the manifest names the newest written.
     */
    public List<String> newestFirst() throws IOException {
        List<String> candidates = new ArrayList<>(list());
        Optional<String> latest = latest();
        candidates.sort(Comparator.comparingLong(CheckpointStore::iterationOf).reversed());
        latest.ifPresent(l -> {
            candidates.remove(l);
            candidates.add(0, l);
        });
        return candidates;
    }

    /** The full path of a checkpoint, for messages. */
    public String location(String name) {
        return new Path(dir, name).toString();
    }

    private Checkpoint read(String name, boolean withModel) throws IOException {
        Path file = new Path(dir, name);
        try (InputStream in = fs.open(file)) {
            return CheckpointZip.read(file, in, withModel);
        } catch (FileNotFoundException e) {
            throw new CheckpointException(file.toString(), "does not exist", e);
        } catch (IOException | FSError e) {
            throw FileSystemFaults.classify(file, "cannot read", e);
        }
    }

    /**
     * The manifest, if it exists, parses and names an existing checkpoint. A damaged manifest is passed over with a
     * warning; a file system that fails to read it is no reason to: its failure is thrown.
     */
    private Optional<Manifest> readManifest() throws IOException {
        Manifest manifest;
        try {
            Optional<byte[]> bytes = AtomicFiles.readAll(fs, manifestFile);
            if (bytes.isEmpty()) {
                return Optional.empty();
            }
            manifest = Json.read(bytes.get(), Manifest.class);
        } catch (JsonProcessingException | ChecksumException e) {
            LOG.warn("Ignoring damaged {} ({}); listing {} instead", manifestFile,
                    FileSystemFaults.describe(e), dir);
            return Optional.empty();
        }
        if (manifest.latest() == null || !NAME.matcher(manifest.latest()).matches()
                || !fs.exists(new Path(dir, manifest.latest()))) {
            LOG.warn("{} names a missing checkpoint {}; listing {} instead", manifestFile, manifest.latest(), dir);
            return Optional.empty();
        }
        return Optional.of(manifest);
    }

    private Optional<Best> best(Optional<Manifest> manifest) throws IOException {
        if (manifest.isPresent()) {
            Manifest m = manifest.get();
            if (m.best() == null) {
                return Optional.empty();
            }
            if (NAME.matcher(m.best()).matches() && fs.exists(new Path(dir, m.best()))) {
                return Optional.of(new Best(m.best(), m.bestTestBpd()));
            }
        }
        return bestByScanning();
    }

    private Optional<Best> bestByScanning() throws IOException {
        Best best = null;
        for (String name : list()) {
            try {
                CheckpointMetadata metadata = read(name, false).metadata();
                if (metadata.hasTestBpd() && (best == null || metadata.testBpd() < best.testBpd)) {
                    best = new Best(name, metadata.testBpd());
                }
            } catch (CheckpointException e) {
                LOG.warn("Not considered for best: {}", e.getMessage());
            }
        }
        return Optional.ofNullable(best);
    }

    /** Keeps the last {@code keepLast} by iteration, the best, and the latest; runs only after the manifest is written. */
    private void applyRetention(Manifest manifest) throws IOException {
        List<String> names = list();
        Set<String> keep = new HashSet<>(names.subList(Math.max(0, names.size() - keepLast), names.size()));
        keep.add(manifest.latest());
        if (keepBest && manifest.best() != null) {
            keep.add(manifest.best());
        }
        for (String name : names) {
            if (!keep.contains(name)) {
                run.checkWritable();
                LOG.info("Deleting checkpoint {} (retention: keep-last {}, keep-best {})", name, keepLast, keepBest);
                AtomicFiles.deleteQuietly(fs, new Path(dir, name));
            }
        }
    }

    private static long iterationOf(String name) {
        return Long.parseLong(matchName(name).group(1));
    }

    private static Matcher matchName(String name) {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            throw new IllegalArgumentException("Not a checkpoint file name: " + name);
        }
        return m;
    }

    private record Best(String name, double testBpd) {
    }
}
