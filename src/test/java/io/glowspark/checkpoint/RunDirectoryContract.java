package io.glowspark.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileUtil;
import io.glowspark.testing.LogCapture;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The run directory's guarantees, checked the same way on every file system (one subclass per file system). */
abstract class RunDirectoryContract {

    /** A new, empty run directory. */
    abstract RunDirectory newRun() throws IOException;

    private final List<RunLock> locks = new ArrayList<>();

    /** A new, empty run directory whose lock this test holds, as a job writing there does. */
    private RunDirectory lockedRun() throws IOException {
        RunDirectory run = newRun();
        locks.add(run.lock());
        return run;
    }

    @AfterEach
    void releaseLocks() throws IOException {
        for (RunLock lock : locks) {
            lock.close();
        }
    }

    private static final Duration SHORT_LEASE = Duration.ofMillis(6000);
    private static final Duration FAST_RENEWAL = Duration.ofMillis(200);

    // ---------------------------------------------------------------- checkpoints

    @Test
    void writesListsAndLoadsCheckpoints() throws IOException {
        RunDirectory run = lockedRun();
        CheckpointStore store = run.checkpoints(5, true);
        assertEquals(Optional.empty(), store.latest());
        assertEquals(List.of(), store.newestFirst());

        for (long it : new long[] {100, 200, 1500}) {
            store.write(CheckpointMetadataTest.metadata(it, 2.0), model(it), polyak(it));
        }
        assertEquals(List.of("ckpt-000000000100.zip", "ckpt-000000000200.zip", "ckpt-000000001500.zip"), store.list());
        assertEquals(Optional.of("ckpt-000000001500.zip"), store.latest());

        Checkpoint loaded = store.open("ckpt-000000000200.zip");
        assertEquals(CheckpointMetadataTest.metadata(200, 2.0), loaded.metadata());
        assertArrayEquals(modelBytes(200), loaded.model().readAllBytes());
        assertArrayEquals(polyakBytes(200), loaded.polyakParameters().orElseThrow().readAllBytes());
        assertEquals(List.of("ckpt-000000001500.zip", "ckpt-000000000200.zip", "ckpt-000000000100.zip"), store.newestFirst());
        assertEquals(List.of(), hiddenFiles(run));
    }

    @Test
    void retentionKeepsTheLastKAndTheBestAndTheManifestAlwaysNamesACompleteCheckpoint() throws IOException {
        RunDirectory run = lockedRun();
        CheckpointStore store = run.checkpoints(2, true);
        double[] testBpd = {3.0, 1.5, 2.5, 2.8, Double.NaN};
        for (int i = 0; i < testBpd.length; i++) {
            String name = store.write(CheckpointMetadataTest.metadata(i + 1, testBpd[i]), model(i + 1), polyak(i + 1));
            assertEquals(Optional.of(name), store.latest());
            assertEquals(i + 1, store.open(store.latest().orElseThrow()).metadata().iteration());
            assertEquals(i == 0 ? 1 : 2, store.open(store.best().orElseThrow()).metadata().iteration());
        }
        assertEquals(List.of(CheckpointStore.fileName(2), CheckpointStore.fileName(4), CheckpointStore.fileName(5)),
                store.list());
        assertEquals(Optional.of(CheckpointStore.fileName(2)), store.best());
    }

    @Test
    void withoutKeepBestOnlyTheLastKRemain() throws IOException {
        CheckpointStore store = lockedRun().checkpoints(2, false);
        for (int i = 1; i <= 4; i++) {
            store.write(CheckpointMetadataTest.metadata(i, i == 1 ? 0.5 : 3.0), model(i), polyak(i));
        }
        assertEquals(List.of(CheckpointStore.fileName(3), CheckpointStore.fileName(4)), store.list());
    }

    @Test
    void readersFallBackToListingWhenTheManifestIsMissingOrStale() throws IOException {
        RunDirectory run = lockedRun();
        CheckpointStore store = run.checkpoints(3, true);
        store.write(CheckpointMetadataTest.metadata(1, 1.0), model(1), polyak(1));
        store.write(CheckpointMetadataTest.metadata(2, 2.0), model(2), polyak(2));
        FileSystem fs = run.fileSystem();

        fs.delete(run.manifestFile(), false); // as if the writer died between deleting and renaming the manifest
        assertEquals(Optional.of(CheckpointStore.fileName(2)), store.latest());
        assertEquals(Optional.of(CheckpointStore.fileName(1)), store.best());

        writeRaw(fs, run.manifestFile(), "{\"latest\":\"ckpt-000000000009.zip\",\"best\":null,"
                + "\"bestTestBpd\":\"NaN\",\"updatedMillis\":0}");
        assertEquals(Optional.of(CheckpointStore.fileName(2)), store.latest());

        writeRaw(fs, run.manifestFile(), "{not json");
        assertEquals(Optional.of(CheckpointStore.fileName(2)), store.latest());

        store.write(CheckpointMetadataTest.metadata(3, 3.0), model(3), polyak(3));
        assertEquals(Optional.of(CheckpointStore.fileName(3)), store.latest());
        assertEquals(Optional.of(CheckpointStore.fileName(1)), store.best());
    }

    // ---------------------------------------------------------------- crash safety

    @Test
    void aWriterDyingMidCheckpointLeavesThePreviousOneLoadable() throws IOException {
        RunDirectory run = lockedRun();
        CheckpointStore store = run.checkpoints(2, true);
        store.write(CheckpointMetadataTest.metadata(10, 2.0), model(10), polyak(10));

        IOException thrown = assertThrows(IOException.class, () -> store.write(CheckpointMetadataTest.metadata(20, 1.0),
                out -> {
                    out.write(modelBytes(20), 0, 50_000);
                    throw new IOException("executor lost");
                }, polyak(20)));
        assertEquals(new Path(run.checkpointsDir(), CheckpointStore.fileName(20)) + ": cannot write (executor lost)",
                thrown.getMessage());
        assertEquals(List.of(CheckpointStore.fileName(10)), store.list());
        assertEquals(10, store.open(store.newestFirst().get(0)).metadata().iteration());
        assertEquals(List.of(), hiddenFiles(run));
    }

    @Test
    void leftoverTemporaryFilesAreIgnoredByReadersAndCleanedByTheNextWriter() throws IOException {
        RunDirectory run = lockedRun();
        CheckpointStore store = run.checkpoints(2, true);
        store.write(CheckpointMetadataTest.metadata(10, 2.0), model(10), polyak(10));
        FileSystem fs = run.fileSystem();
        Path leftover = new Path(run.checkpointsDir(), ".ckpt-000000000020.zip.tmp-" + UUID.randomUUID());
        writeRaw(fs, leftover, "PK\u0003\u0004half a checkpoint from a killed process");

        assertEquals(List.of(CheckpointStore.fileName(10)), store.list());
        assertEquals(Optional.of(CheckpointStore.fileName(10)), store.latest());
        assertEquals(10, store.open(store.newestFirst().get(0)).metadata().iteration());

        store.write(CheckpointMetadataTest.metadata(30, 2.0), model(30), polyak(30));
        assertFalse(fs.exists(leftover));
        assertEquals(List.of(), hiddenFiles(run));
    }

    @Test
    void anInterruptedReplacementIsReadFromItsCompleteFileAndFinishedByTheNextWriter() throws IOException {
        RunDirectory run = lockedRun();
        run.appendMetrics(metrics(1));
        // A writer that died after renaming its complete temp file aside and deleting the old file:
        Path complete = new Path(run.root(), ".metrics.jsonl.complete-" + UUID.randomUUID());
        writeRaw(run.fileSystem(), complete, new String(Json.write(metrics(1))) + "\n" + new String(Json.write(metrics(2))) + "\n");
        run.fileSystem().delete(run.metricsFile(), false);

        assertEquals(List.of(metrics(1), metrics(2)), run.readMetrics());
        run.appendMetrics(metrics(3));
        assertEquals(List.of(metrics(1), metrics(2), metrics(3)), run.readMetrics());
        assertEquals(List.of(), hiddenFiles(run));
    }

    // ---------------------------------------------------------------- corruption

    @Test
    void aTruncatedLatestCheckpointIsReportedAndThePreviousOneLoaded() throws IOException {
        RunDirectory run = lockedRun();
        CheckpointStore store = run.checkpoints(3, true);
        store.write(CheckpointMetadataTest.metadata(1, 2.0), model(1), polyak(1));
        String latest = store.write(CheckpointMetadataTest.metadata(2, 2.0), model(2), polyak(2));
        Path file = new Path(run.checkpointsDir(), latest);
        byte[] whole = run.fileSystem().open(file).readAllBytes();
        writeRaw(run.fileSystem(), file, Arrays.copyOf(whole, whole.length / 2));

        CheckpointException e = assertThrows(CheckpointException.class, () -> store.open(latest));
        assertTrue(e.getMessage().contains(latest) && e.getMessage().contains("truncated"), e.getMessage());
        assertEquals(List.of(latest, CheckpointStore.fileName(1)), store.newestFirst(), "the damaged one first, then the one before");
        assertEquals(1, store.open(store.newestFirst().get(1)).metadata().iteration());
    }

    @Test
    void aCheckpointWithoutMetadataIsReportedAndThePreviousOneLoaded() throws IOException {
        RunDirectory run = lockedRun();
        CheckpointStore store = run.checkpoints(3, true);
        store.write(CheckpointMetadataTest.metadata(1, 2.0), model(1), polyak(1));
        String latest = store.write(CheckpointMetadataTest.metadata(2, 2.0), model(2), polyak(2));
        writeRaw(run.fileSystem(), new Path(run.checkpointsDir(), latest), zip(CheckpointZip.MODEL_ENTRY));

        CheckpointException e = assertThrows(CheckpointException.class, () -> store.open(latest));
        assertTrue(e.getMessage().contains(latest) && e.getMessage().contains("no metadata.json"), e.getMessage());
        assertEquals(List.of(latest, CheckpointStore.fileName(1)), store.newestFirst(), "the damaged one first, then the one before");
        assertEquals(1, store.open(store.newestFirst().get(1)).metadata().iteration());
    }

    @Test
    void aZipEntryEscapingTheCheckpointIsRejected() throws IOException {
        RunDirectory run = lockedRun();
        CheckpointStore store = run.checkpoints(3, true);
        store.write(CheckpointMetadataTest.metadata(1, 2.0), model(1), polyak(1));
        for (String evil : new String[] {"../evil", "/etc/evil", "a/../../evil", "..\\evil"}) {
            String name = CheckpointStore.fileName(2);
            writeRaw(run.fileSystem(), new Path(run.checkpointsDir(), name),
                    zip(CheckpointZip.METADATA_ENTRY, evil, CheckpointZip.MODEL_ENTRY));
            CheckpointException e = assertThrows(CheckpointException.class, () -> store.open(name));
            assertTrue(e.getMessage().contains("unsafe path '" + evil + "'"), e.getMessage());
            assertEquals(1, store.open(CheckpointStore.fileName(1)).metadata().iteration());
        }
    }

    @Test
    void aFileThatIsNotAZipIsReportedByName() throws IOException {
        RunDirectory run = lockedRun();
        CheckpointStore store = run.checkpoints(3, true);
        String only = store.write(CheckpointMetadataTest.metadata(1, 2.0), model(1), polyak(1));
        writeRaw(run.fileSystem(), new Path(run.checkpointsDir(), only), "not a zip at all");
        CheckpointException e = assertThrows(CheckpointException.class, () -> store.open(only));
        assertEquals("Checkpoint " + store.location(only) + ": no metadata.json entry (not a checkpoint, or truncated)",
                e.getMessage());
    }

    // ---------------------------------------------------------------- run files

    @Test
    void metricsSamplesAndConfigAreWritten() throws IOException {
        RunDirectory run = lockedRun();
        assertEquals(List.of(), run.readMetrics());
        assertEquals(Optional.empty(), run.readConfig());
        for (int i = 0; i < 3; i++) {
            run.appendMetrics(metrics(i));
        }
        assertEquals(List.of(metrics(0), metrics(1), metrics(2)), run.readMetrics());

        byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
        run.writeSample("epoch-0001.png", png);
        assertArrayEquals(png, run.fileSystem().open(new Path(run.samplesDir(), "epoch-0001.png")).readAllBytes());
        assertThrows(IllegalArgumentException.class, () -> run.writeSample("../x.png", png));

        run.writeConfig("glowspark { a = 1 }");
        run.writeConfig("glowspark { a = 2 }");
        assertEquals(Optional.of("glowspark { a = 2 }"), run.readConfig());
        assertEquals(List.of(), hiddenFiles(run));
    }

    @Test
    void metricsLinesAreTheNotebooksFormatWithUnknownValuesAsNull() throws IOException {
        RunDirectory run = lockedRun();
        run.appendMetrics(EpochMetrics.afterInitialization(5.12));
        run.appendMetrics(new EpochMetrics(1, 4, 256, 4.5, 4.4, 123.4, 2.07, 0.002));
        assertEquals("{\"epoch\":0,\"iteration\":0,\"images_seen\":0,\"train_bpd\":null,\"test_bpd\":5.12,"
                + "\"images_per_sec\":null,\"seconds\":0.0,\"learning_rate\":null}\n"
                + "{\"epoch\":1,\"iteration\":4,\"images_seen\":256,\"train_bpd\":4.5,\"test_bpd\":4.4,"
                + "\"images_per_sec\":123.4,\"seconds\":2.07,\"learning_rate\":0.002}\n",
                new String(run.fileSystem().open(run.metricsFile()).readAllBytes(), StandardCharsets.UTF_8));
        EpochMetrics initial = run.readMetrics().get(0);
        assertTrue(Double.isNaN(initial.trainBpd()) && Double.isNaN(initial.imagesPerSecond()), initial.toString());
    }

    @Test
    void aLineThatIsNotAMetricsRecordIsNamedByFileAndLineAndDroppedWithAWarningOnResume() throws IOException {
        RunDirectory run = lockedRun();
        for (int epoch = 0; epoch < 3; epoch++) {
            run.appendMetrics(metrics(epoch));
        }
        String lines = new String(run.fileSystem().open(run.metricsFile()).readAllBytes(), StandardCharsets.UTF_8);
        run.fileSystem().delete(run.metricsFile(), false);
        writeRaw(run.fileSystem(), run.metricsFile(), lines.replace("\"epoch\":1,", "\"epoch\":\"one\","));

        DamagedFileException e = assertThrows(DamagedFileException.class, run::readMetrics);
        assertTrue(e.getMessage().startsWith(run.metricsFile() + " line 2: not a metrics record"), e.getMessage());

        try (LogCapture logs = new LogCapture("io.glowspark.checkpoint")) {
            run.keepMetricsOfEpochs(1);
            assertTrue(logs.logged("WARN", "line 2: not a metrics record", "\"epoch\":\"one\""), String.join("\n", logs.lines()));
        }
        assertEquals(List.of(metrics(0)), run.readMetrics(), "the bad line and epoch 2, to be trained again, dropped");
    }

    /** The metrics line of an epoch, with values derived from it. */
    static EpochMetrics metrics(int epoch) {
        return new EpochMetrics(epoch, 10L * epoch, 640L * epoch, 5.0 - epoch, 4.9 - epoch, 100 + epoch, 10, 1e-3);
    }

    // ---------------------------------------------------------------- lock

    @Test
    void aSecondJobIsRefusedWithTheOwnerNamedUntilTheFirstReleases() throws IOException {
        RunDirectory run = newRun();
        try (RunLock first = run.lock(SHORT_LEASE, FAST_RENEWAL)) {
            RunLockedException e = assertThrows(RunLockedException.class, () -> run.lock(SHORT_LEASE, FAST_RENEWAL));
            assertEquals(first.owner(), e.owner());
            assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
            assertTrue(e.getMessage().contains(first.owner().host()), e.getMessage());
            first.checkHeld();
        }
        assertFalse(run.fileSystem().exists(run.lockFile()));
        run.lock(SHORT_LEASE, FAST_RENEWAL).close();
    }

    @Test
    void ofManyJobsStartingAtOnceExactlyOneGetsTheLock() throws Exception {
        RunDirectory run = newRun();
        int jobs = 6;
        CyclicBarrier start = new CyclicBarrier(jobs);
        ExecutorService pool = Executors.newFixedThreadPool(jobs);
        try {
            List<Future<RunLock>> attempts = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                attempts.add(pool.submit(() -> {
                    start.await();
                    try {
                        return run.lock(SHORT_LEASE, FAST_RENEWAL);
                    } catch (RunLockedException e) {
                        return null;
                    }
                }));
            }
            List<RunLock> winners = new ArrayList<>();
            for (Future<RunLock> attempt : attempts) {
                RunLock lock = attempt.get(30, TimeUnit.SECONDS);
                if (lock != null) {
                    winners.add(lock);
                }
            }
            assertEquals(1, winners.size());
            winners.get(0).close();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aStaleLockOfADeadJobIsTakenOver() throws IOException {
        RunDirectory run = newRun();
        RunLock.Owner dead = new RunLock.Owner("gone-host", 999_999, 1_000L, UUID.randomUUID().toString());
        long expired = System.currentTimeMillis() - 1;
        writeRaw(run.fileSystem(), run.lockFile(), Json.write(new RunLock.LockFile(dead, expired)));

        try (RunLock lock = run.lock(SHORT_LEASE, FAST_RENEWAL)) {
            RunLock.LockFile now = RunLock.read(run.fileSystem(), run.lockFile(), SHORT_LEASE).orElseThrow();
            assertEquals(lock.owner(), now.owner());
        }
    }

    @Test
    void renewalKeepsALiveLockFromExpiring() throws Exception {
        RunDirectory run = newRun();
        try (RunLock lock = run.lock(SHORT_LEASE, FAST_RENEWAL)) {
            Thread.sleep(2 * SHORT_LEASE.toMillis());
            assertThrows(RunLockedException.class, () -> run.lock(SHORT_LEASE, FAST_RENEWAL));
            assertTrue(lock.isHeld());
        }
    }

    @Test
    void anOwnerWhoseLockWasTakenOverNoticesAndLeavesTheNewLockAlone() throws Exception {
        RunDirectory run = newRun();
        RunLock.Owner newer = new RunLock.Owner("other-host", 4242, 2_000L, UUID.randomUUID().toString());
        byte[] newerLock = Json.write(new RunLock.LockFile(newer, System.currentTimeMillis() + 60_000));
        try (RunLock lock = run.lock(SHORT_LEASE, FAST_RENEWAL)) {
            writeRaw(run.fileSystem(), run.lockFile(), newerLock); // as if we had been paused longer than the lease
            long deadline = System.currentTimeMillis() + 5_000;
            while (lock.isHeld() && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertFalse(lock.isHeld());
            LockLostException e = assertThrows(LockLostException.class, lock::checkHeld);
            assertTrue(e.takenOver());
            assertEquals("this job lost its lock on " + run.root() + ": " + newer + " took it over; this job stops "
                    + "writing", e.getMessage());
            assertFalse(e.getMessage().contains("pid " + lock.owner().pid()), "names the other job, not itself");
            assertThrows(LockLostException.class, () -> run.appendMetrics(metrics(0)), "no write after the loss");
            assertThrows(LockLostException.class, () -> run.checkpoints(1, true).write(
                    CheckpointMetadataTest.metadata(1, 2.0), model(1), polyak(1)));
        }
        assertArrayEquals(newerLock, run.fileSystem().open(run.lockFile()).readAllBytes());
        assertEquals(List.of(run.lockFile()), List.of(FileUtil.stat2Paths(run.fileSystem().listStatus(run.root(),
                p -> !p.getName().startsWith(".")))), "nothing but the new owner's lock");
    }

    /** As when a renewal failed mid-write: the lock file is there, but cannot be read. */
    @Test
    void aLockFileLeftUnreadableByTheOwnersOwnRenewalIsRewrittenNotTakenForAnotherJob() throws Exception {
        RunDirectory run = newRun();
        // Written before the first renewal, a second after the lock was taken: the two do not collide.
        try (RunLock lock = run.lock(Duration.ofSeconds(10), Duration.ofSeconds(1))) {
            writeRaw(run.fileSystem(), run.lockFile(), "{\"owner\":{\"ho");
            long deadline = System.currentTimeMillis() + 5_000;
            Optional<RunLock.LockFile> current = RunLock.read(run.fileSystem(), run.lockFile(), SHORT_LEASE);
            while (current.orElseThrow().owner() == null && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
                current = RunLock.read(run.fileSystem(), run.lockFile(), SHORT_LEASE);
            }
            assertEquals(lock.owner(), current.orElseThrow().owner(), "the next renewal wrote it again");
            lock.checkHeld();
        }
    }

    @Test
    void writingWithoutTheLockIsRefusedAndCreatesNothing() throws IOException {
        RunDirectory run = newRun();
        assertThrows(IllegalStateException.class, () -> run.appendMetrics(metrics(0)));
        assertThrows(IllegalStateException.class, () -> run.writeConfig("glowspark { }"));
        assertThrows(IllegalStateException.class, () -> run.checkpoints(1, true).write(
                CheckpointMetadataTest.metadata(1, 2.0), model(1), polyak(1)));
        assertFalse(run.fileSystem().exists(run.root()));
    }

    @Test
    void aRunDirectoryThatCannotBeCreatedIsNamedWithTheReason() throws IOException {
        RunDirectory file = newRun();
        writeRaw(file.fileSystem(), file.root(), "a file where the run directory should be");
        StorageException e = assertThrows(StorageException.class, file::lock);
        assertEquals(file.root() + ": cannot be the run directory: it is a file", e.getMessage());

        RunDirectory underAFile = RunDirectory.open(new Path(file.root(), "run").toUri(), file.fileSystem().getConf());
        e = assertThrows(StorageException.class, underAFile::lock);
        assertTrue(e.getMessage().startsWith(underAFile.root() + ": cannot create the run directory"), e.getMessage());
    }

    // ---------------------------------------------------------------- helpers

    static byte[] modelBytes(long seed) {
        return randomBytes(seed, 200_000);
    }

    /** Writes like DL4J's ModelSerializer would, including closing the stream it was given. */
    static ModelWriter model(long seed) {
        return out -> {
            try (OutputStream o = out) {
                o.write(modelBytes(seed));
            }
        };
    }

    static byte[] polyakBytes(long seed) {
        return randomBytes(-seed, 4_000);
    }

    private static byte[] randomBytes(long seed, int length) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static ModelWriter polyak(long seed) {
        return out -> out.write(polyakBytes(seed));
    }

    static byte[] zip(String... entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (String entry : entries) {
                zip.putNextEntry(new ZipEntry(entry));
                zip.write(entry.equals(CheckpointZip.METADATA_ENTRY)
                        ? Json.write(CheckpointMetadataTest.metadata(2, 2.0)) : modelBytes(2));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** Writes through the FileSystem (not java.io) so that checksummed file systems stay consistent. */
    static void writeRaw(FileSystem fs, Path file, byte[] content) throws IOException {
        try (OutputStream out = fs.create(file, true)) {
            out.write(content);
        }
    }

    static void writeRaw(FileSystem fs, Path file, String content) throws IOException {
        writeRaw(fs, file, content.getBytes(StandardCharsets.UTF_8));
    }

    static List<String> hiddenFiles(RunDirectory run) throws IOException {
        FileSystem fs = run.fileSystem();
        return fs.exists(run.root()) ? Arrays.stream(listRecursively(fs, run.root()))
                .map(s -> s.getPath().getName()).filter(n -> n.startsWith(".") && !n.endsWith(".crc"))
                .collect(Collectors.toList()) : List.of();
    }

    private static FileStatus[] listRecursively(FileSystem fs, Path dir) throws IOException {
        return Arrays.stream(fs.listStatus(dir))
                .flatMap(s -> {
                    try {
                        return s.isDirectory() ? Arrays.stream(listRecursively(fs, s.getPath())) : Arrays.stream(
                                new FileStatus[] {s});
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).toArray(FileStatus[]::new);
    }
}
