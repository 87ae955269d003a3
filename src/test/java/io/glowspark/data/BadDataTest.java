package io.glowspark.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.zip.GZIPOutputStream;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Corrupted copies of the MNIST test set (also serving as the training set) in a temporary directory. */
class BadDataTest {

    private static final MnistFileNames NAMES = MnistFileNames.STANDARD;
    private static final Configuration CONF = new Configuration();

    @TempDir
    Path dir;

    @BeforeEach
    void copyTestSetAsBothSets() throws IOException {
        Path real = MnistTestFiles.dir();
        for (String name : new String[] {NAMES.trainImages(), NAMES.testImages()}) {
            Files.copy(real.resolve(NAMES.testImages()), dir.resolve(name));
        }
        for (String name : new String[] {NAMES.trainLabels(), NAMES.testLabels()}) {
            Files.copy(real.resolve(NAMES.testLabels()), dir.resolve(name));
        }
    }

    @Test
    void intactCopiesOpen() {
        assertEquals(10000, open().train().count());
    }

    @Test
    void missingFile() throws IOException {
        Files.delete(dir.resolve(NAMES.testLabels()));
        assertProblem(NAMES.testLabels(), "file not found (nor t10k-labels-idx1-ubyte.gz)", this::open);
    }

    @Test
    void emptyFile() throws IOException {
        Files.write(dir.resolve(NAMES.trainImages()), new byte[0]);
        assertProblem(NAMES.trainImages(), "empty file", this::open);
    }

    @Test
    void directoryWhereAFileIsExpected() throws IOException {
        Files.delete(dir.resolve(NAMES.testImages()));
        Files.createDirectory(dir.resolve(NAMES.testImages()));
        assertProblem(NAMES.testImages(), "is a directory", this::open);
    }

    @Test
    void unreadableByPermission() throws IOException {
        // Tests often run as root, who reads a chmod-000 file anyway; directoryWhereAFileIsExpected covers
        // the unreadable case there.
        assumeFalse("root".equals(System.getProperty("user.name")), "root ignores file permissions");
        Files.setPosixFilePermissions(dir.resolve(NAMES.testImages()), PosixFilePermissions.fromString("---------"));
        assertProblem(NAMES.testImages(), "cannot read", this::open);
    }

    @Test
    void wrongMagicNumbers() throws IOException {
        writeInt(NAMES.trainImages(), 0, 0x00000801);
        assertProblem(NAMES.trainImages(), "wrong magic number 0x00000801, expected 0x00000803 (IDX images)", this::open);
        Files.copy(MnistTestFiles.dir().resolve(NAMES.testImages()), dir.resolve(NAMES.trainImages()),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        writeInt(NAMES.testLabels(), 0, 0x00000803);
        assertProblem(NAMES.testLabels(), "wrong magic number 0x00000803, expected 0x00000801 (IDX labels)", this::open);
    }

    @Test
    void truncatedFile() throws IOException {
        truncate(NAMES.testImages(), 16 + 9999 * 784 + 100);
        assertProblem(NAMES.testImages(), "truncated: file has 7839332 bytes, header (10000 items of [28, 28]) implies 7840016",
                this::open);
    }

    @Test
    void truncatedHeader() throws IOException {
        truncate(NAMES.trainLabels(), 6);
        assertProblem(NAMES.trainLabels(), "truncated: header needs 8 bytes", this::open);
    }

    @Test
    void countMismatch() throws IOException {
        truncate(NAMES.trainLabels(), 8 + 9999);
        writeInt(NAMES.trainLabels(), 4, 9999);
        assertProblem(NAMES.trainImages(), "count mismatch: 10000 images, but", this::open);
    }

    @Test
    void testAndTrainImageSizesDiffer() throws IOException {
        writeInt(NAMES.testImages(), 8, 14);
        writeInt(NAMES.testImages(), 12, 56);
        assertProblem(NAMES.testImages(), "wrong image size: 14x56, but the training images", this::open);
    }

    @Test
    void imageSizeOtherThanTheModelExpects() {
        assertProblem(NAMES.trainImages(), "wrong image size: 28x28, the model is configured for 32x32",
                () -> open().requireImageSize(32, 32));
    }

    @Test
    void gzippedFilesAreFoundAndRead() throws IOException {
        gzip(NAMES.testImages(), Long.MAX_VALUE);
        MnistDataset data = open();
        assertTrue(data.test().images().gzipped());
        RawImages last = data.test().shards(3).get(2).read(CONF);
        assertEquals(IndependentIdxRead.pixelSum(MnistTestFiles.dir().resolve(NAMES.testImages()), 9999),
                last.pixelSum(last.count() - 1));
    }

    @Test
    void truncatedGzipIsDetectedWhenReading() throws IOException {
        gzip(NAMES.testImages(), 500_000);
        Shard last = open().test().shards(2).get(1);
        assertProblem(NAMES.testImages() + ".gz", "truncated", () -> last.read(CONF));
    }

    @Test
    void gzSuffixOnAFileThatIsNotGzipped() throws IOException {
        Files.move(dir.resolve(NAMES.testImages()), dir.resolve(NAMES.testImages() + ".gz"));
        assertProblem(NAMES.testImages() + ".gz", "not a valid gzip file", this::open);
    }

    private MnistDataset open() {
        return MnistDataset.open(dir.toUri(), NAMES, CONF);
    }

    /** The message starts with the file's full URI and then states the problem. */
    private void assertProblem(String fileName, String problem, Executable action) {
        DataException e = assertThrows(DataException.class, action);
        String uri = "file:" + dir.resolve(fileName);
        assertTrue(e.getMessage().startsWith(uri + ": "), "should start with " + uri + ": " + e.getMessage());
        assertTrue(e.getMessage().contains(problem), "should contain '" + problem + "': " + e.getMessage());
    }

    private void writeInt(String name, long offset, int value) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(dir.resolve(name).toFile(), "rw")) {
            file.seek(offset);
            file.writeInt(value);
        }
    }

    private void truncate(String name, long size) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(dir.resolve(name).toFile(), "rw")) {
            file.setLength(size);
        }
    }

    /** Replaces {@code name} by {@code name.gz}, cut after {@code maxBytes} compressed bytes. */
    private void gzip(String name, long maxBytes) throws IOException {
        Path raw = dir.resolve(name);
        Path gz = dir.resolve(name + ".gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(raw, out);
        }
        Files.delete(raw);
        if (Files.size(gz) > maxBytes) {
            truncate(name + ".gz", maxBytes);
        }
    }
}
