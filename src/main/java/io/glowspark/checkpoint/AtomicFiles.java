package io.glowspark.checkpoint;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StreamCapabilities;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files that appear complete or not at all, on any Hadoop FileSystem.
 *
 * <p>A file is written as {@code .<name>.tmp-<uuid>} in the target's directory, synced, closed and renamed onto the
 * target. Where rename does not overwrite (HDFS, s3a) the complete temp file is first renamed to
 * {@code .<name>.complete-<uuid>}, then the old target is deleted and the complete file renamed onto it. A crash in
 * that window leaves the new content in the {@code .complete-} file: readers use it ({@link #readable}) and the next
 * writer promotes it ({@link #repair}). A {@code .complete-} file is always newer than its target. {@code .tmp-} files
 * are never read and are deleted by the next writer, who must be the only writer (the {@link RunLock} holder).
 */
final class AtomicFiles {

    private static final Logger LOG = LoggerFactory.getLogger(AtomicFiles.class);
    private static final Pattern HIDDEN = Pattern.compile("^\\.(.+)\\.(tmp|complete)-[0-9a-f-]{36}$");

    /** Writes the content of one file. */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Checked before a write starts and again just before it becomes visible: a writer that lost its lock (see
     * {@link RunLock#checkHeld}) stops there and writes nothing more.
     */
    @FunctionalInterface
    interface Guard {
        void check() throws IOException;
    }

    @FunctionalInterface
    private interface Step {
        void run() throws IOException;
    }

    private AtomicFiles() {
    }

    /** Writes {@code target} atomically, replacing it if it exists; first repairs what crashed writers left behind. */
    static void write(FileSystem fs, Path target, Guard guard, Content content) throws IOException {
        guard.check();
        repair(fs, target.getParent());
        Path tmp = writeTemporary(fs, target, content);
        guard.check(); // the temporary file stays for the next writer's repair: this one may not delete anything now
        commit(fs, tmp, target);
    }

    /** Writes {@code content} to a fresh temporary sibling of {@code target} and returns it; deletes it on failure. */
    static Path writeTemporary(FileSystem fs, Path target, Content content) throws IOException {
        Path tmp = sibling(target, "tmp");
        writing(target, () -> {
            try {
                FSDataOutputStream out = fs.create(tmp, false);
                writeAndClose(out, o -> {
                    content.writeTo(NonClosingOutputStream.wrap(out));
                    out.flush();
                    if (out.hasCapability(StreamCapabilities.HSYNC)) {
                        out.hsync();
                    }
                });
            } catch (IOException | RuntimeException | Error e) {
                deleteQuietly(fs, tmp);
                throw e;
            }
        });
        return tmp;
    }

    /**
     * Writes {@code content} to {@code out} and closes it; if writing fails, closes it and throws that failure. Not a
     * try-with-resources: an HDFS stream whose write failed throws the same exception again from close(), and Java
     * would then throw "Self-suppression not permitted" in place of the failure.
     */
    static void writeAndClose(OutputStream out, Content content) throws IOException {
        try {
            content.writeTo(out);
        } catch (IOException | RuntimeException | Error e) {
            try {
                out.close();
            } catch (IOException | RuntimeException | Error closing) {
                if (closing != e) {
                    e.addSuppressed(closing);
                }
            }
            throw e;
        }
        out.close();
    }

    /** Makes the complete file {@code tmp} visible as {@code target}. */
    static void commit(FileSystem fs, Path tmp, Path target) throws IOException {
        writing(target, () -> {
            if (fs.rename(tmp, target)) {
                return; // target was absent, or this file system overwrites atomically (local)
            }
            if (!fs.exists(target)) {
                throw new IOException("Could not rename " + tmp + " to " + target);
            }
            Path complete = sibling(target, "complete");
            if (!fs.rename(tmp, complete)) {
                throw new IOException("Could not rename " + tmp + " to " + complete);
            }
            promote(fs, complete, target);
        });
    }

    /**
     * Runs one step of writing {@code target}. The file system's failures, including the Error (FSError) by which
     * Hadoop's local file system reports a full disk, are named by the file and told apart (see
     * {@link FileSystemFaults#classify}).
     */
    private static void writing(Path target, Step step) throws IOException {
        try {
            step.run();
        } catch (IOException | FSError e) {
            throw FileSystemFaults.classify(target, "cannot write", e);
        }
    }

    /** The newest complete version of {@code target}: a leftover {@code .complete-} file, else the target itself. */
    static Optional<Path> readable(FileSystem fs, Path target) throws IOException {
        Optional<FileStatus> complete = newestComplete(fs, target);
        if (complete.isPresent()) {
            return Optional.of(complete.get().getPath());
        }
        return fs.exists(target) ? Optional.of(target) : Optional.empty();
    }

    /**
     * The bytes of the newest complete version of {@code target} (see {@link #readable}), empty if there is none.
     *
     * @throws ChecksumException               if the file's contents do not match their checksum (damage)
     * @throws FileSystemUnavailableException  if the file system is unavailable
     * @throws StorageException                if the file system refuses the read
     */
    static Optional<byte[]> readAll(FileSystem fs, Path target) throws IOException {
        try {
            for (int attempt = 0; ; attempt++) {
                Optional<Path> file = readable(fs, target);
                if (file.isEmpty()) {
                    return Optional.empty();
                }
                try (InputStream in = fs.open(file.get())) {
                    return Optional.of(in.readAllBytes());
                } catch (FileNotFoundException e) {
                    if (attempt > 0) {
                        throw e;
                    } // else a writer promoted the complete file between our listing and our open: look again
                }
            }
        } catch (ChecksumException e) {
            throw e;
        } catch (IOException | FSError e) {
            throw FileSystemFaults.classify(target, "cannot read", e);
        }
    }

    /** Deletes leftover temporary files in {@code dir} and promotes leftover complete files onto their targets. */
    static void repair(FileSystem fs, Path dir) throws IOException {
        writing(dir, () -> repairUnchecked(fs, dir));
    }

    private static void repairUnchecked(FileSystem fs, Path dir) throws IOException {
        if (!fs.exists(dir)) {
            return;
        }
        Map<String, List<FileStatus>> completesByTarget = new HashMap<>();
        for (FileStatus status : fs.listStatus(dir)) {
            Matcher m = HIDDEN.matcher(status.getPath().getName());
            if (!m.matches()) {
                continue;
            }
            if (m.group(2).equals("tmp")) {
                LOG.info("Deleting temporary file {} left by an earlier writer", status.getPath());
                deleteQuietly(fs, status.getPath());
            } else {
                completesByTarget.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(status);
            }
        }
        for (Map.Entry<String, List<FileStatus>> e : completesByTarget.entrySet()) {
            List<FileStatus> completes = e.getValue();
            completes.sort(Comparator.comparingLong(FileStatus::getModificationTime));
            FileStatus newest = completes.remove(completes.size() - 1);
            Path target = new Path(dir, e.getKey());
            LOG.warn("Completing the interrupted replacement of {}", target);
            promote(fs, newest.getPath(), target);
            completes.forEach(older -> deleteQuietly(fs, older.getPath()));
        }
    }

    /** True for the temporary and complete files this class creates; readers listing a directory skip them. */
    static boolean isHidden(Path path) {
        return HIDDEN.matcher(path.getName()).matches();
    }

    static void deleteQuietly(FileSystem fs, Path path) {
        try {
            fs.delete(path, false);
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", path, e.toString());
        }
    }

    private static void promote(FileSystem fs, Path complete, Path target) throws IOException {
        fs.delete(target, false);
        if (!fs.rename(complete, target)) {
            throw new IOException("Could not rename " + complete + " to " + target);
        }
    }

    private static Optional<FileStatus> newestComplete(FileSystem fs, Path target) throws IOException {
        Path dir = target.getParent();
        if (!fs.exists(dir)) {
            return Optional.empty();
        }
        String prefix = "." + target.getName() + ".complete-";
        return Arrays.stream(fs.listStatus(dir))
                .filter(s -> s.getPath().getName().startsWith(prefix) && isHidden(s.getPath()))
                .max(Comparator.comparingLong(FileStatus::getModificationTime));
    }

    private static Path sibling(Path target, String kind) {
        return new Path(target.getParent(), "." + target.getName() + "." + kind + "-" + UUID.randomUUID());
    }
}
