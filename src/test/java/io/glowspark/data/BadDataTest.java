package io.glowspark.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
            Files.deleteIfExists(dir.resolve(name + ".gz"));
            Files.copy(real.resolve(NAMES.testImages()), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        for (String name : new String[] {NAMES.trainLabels(), NAMES.testLabels()}) {
            Files.deleteIfExists(dir.resolve(name + ".gz"));
            Files.copy(real.resolve(NAMES.testLabels()), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
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
    void wrongMagicNumbers() throws IOException {
        writeInt(NAMES.trainImages(), 0, 0x00000801);
        assertProblem(NAMES.trainImages(), "wrong magic number 0x00000801, expected 0x00000803 (IDX images)", this::open);
        Files.copy(MnistTestFiles.dir().resolve(NAMES.testImages()), dir.resolve(NAMES.trainImages()),
                StandardCopyOption.REPLACE_EXISTING);
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
    void imagesOtherThanMnistsSize() throws IOException {
        for (int side : new int[] {29, 32}) {
            writeIdx(NAMES.trainImages(), IdxKind.IMAGES, 10000, side, new byte[10000 * side * side]);
            writeIdx(NAMES.testImages(), IdxKind.IMAGES, 10000, side, new byte[10000 * side * side]);
            assertProblem(NAMES.trainImages(), "wrong image size: " + side + "x" + side + ", the model is configured "
                    + "for MNIST's 28x28 images", () -> open().requireMnistImageSize());
        }
    }

    @Test
    void noImages() throws IOException {
        writeIdx(NAMES.trainImages(), IdxKind.IMAGES, 0, 28, new byte[0]);
        writeIdx(NAMES.trainLabels(), IdxKind.LABELS, 0, 0, new byte[0]);
        assertProblem(NAMES.trainImages(), "holds no images", this::open);
    }

    @Test
    void aLabelThatIsNotADigit() throws IOException {
        writeByte(NAMES.testLabels(), 8 + 1234, 12);
        assertProblem(NAMES.testLabels(), "label 12 of item 1234 is not a digit 0..9", this::open);
        gzip(NAMES.testLabels(), Long.MAX_VALUE);
        assertProblem(NAMES.testLabels() + ".gz", "label 12 of item 1234 is not a digit 0..9", this::open);
    }

    @Test
    void aGzippedFileWhoseHeaderClaimsMoreItemsThanItHoldsIsRefusedWhenOpened() throws IOException {
        // 2^31 - 1 items would overflow the block count, 2^31 - 101 would fill the driver's memory with blocks.
        for (int claimed : new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE - 100}) {
            writeInt(NAMES.trainImages(), 4, claimed);
            writeInt(NAMES.trainLabels(), 4, claimed);
            gzip(NAMES.trainImages(), Long.MAX_VALUE);
            gzip(NAMES.trainLabels(), Long.MAX_VALUE);
            assertProblem(NAMES.trainImages() + ".gz", "truncated: file has 7840016 bytes decompressed, header ("
                    + claimed + " items of [28, 28])", this::open);
            copyTestSetAsBothSets();
        }
    }

    @Test
    void aGzippedFileWithMoreItemsThanItsHeaderClaims() throws IOException {
        writeInt(NAMES.testLabels(), 4, 9999);
        gzip(NAMES.testLabels(), Long.MAX_VALUE);
        assertProblem(NAMES.testLabels() + ".gz", "trailing bytes: file has 10008 bytes decompressed, header (9999 items",
                this::open);
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
    void truncatedGzipIsDetectedWhenOpened() throws IOException {
        gzip(NAMES.testImages(), 500_000);
        assertProblem(NAMES.testImages() + ".gz", "truncated: ended before the size its header declares", this::open);
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

    private void writeByte(String name, long offset, int value) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(dir.resolve(name).toFile(), "rw")) {
            file.seek(offset);
            file.write(value);
        }
    }

    /** Replaces {@code name} by an IDX file of {@code count} items of side x side pixels (labels: side 0). */
    private void writeIdx(String name, IdxKind kind, int count, int side, byte[] items) throws IOException {
        try (OutputStream out = Files.newOutputStream(dir.resolve(name))) {
            SyntheticIdx.write(out, kind, count, side, items);
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
