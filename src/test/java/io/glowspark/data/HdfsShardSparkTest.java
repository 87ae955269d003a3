package io.glowspark.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaSparkContext;
import io.glowspark.testing.LocalSpark;
import io.glowspark.testing.MiniHdfs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The MNIST test set on a real in-process HDFS, split into shards that Spark executors read themselves:
 * every image is read exactly once, with the same pixels as a local java.io read.
 */
@Tag("slow")
class HdfsShardSparkTest {

    private static MiniHdfs hdfs;
    private static JavaSparkContext spark;
    private static URI rawDir;
    private static URI gzDir;
    private static long[] expectedSums;
    private static int[] expectedLabels;

    @BeforeAll
    static void start() throws IOException {
        Path local = MnistTestFiles.dir();
        MnistFileNames names = MnistFileNames.STANDARD;
        Path testImages = local.resolve(names.testImages());
        Path testLabels = local.resolve(names.testLabels());
        expectedSums = IndependentIdxRead.pixelSums(testImages, 10000);
        expectedLabels = new int[10000];
        for (int i = 0; i < expectedLabels.length; i++) {
            expectedLabels[i] = IndependentIdxRead.label(testLabels, i);
        }

        hdfs = new MiniHdfs("shards");
        FileSystem fs = hdfs.fileSystem();
        rawDir = fs.makeQualified(new org.apache.hadoop.fs.Path("/mnist/raw")).toUri();
        gzDir = fs.makeQualified(new org.apache.hadoop.fs.Path("/mnist/gz")).toUri();
        for (String name : List.of(names.testImages(), names.testLabels())) {
            Path file = local.resolve(name);
            try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(rawDir.getPath(), name))) {
                Files.copy(file, out);
            }
            try (OutputStream out = new GZIPOutputStream(fs.create(new org.apache.hadoop.fs.Path(gzDir.getPath(), name + ".gz")))) {
                Files.copy(file, out);
            }
        }

        spark = LocalSpark.start("HdfsShardSparkTest");
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.close();
        }
        if (hdfs != null) {
            hdfs.close();
        }
    }

    @Test
    void rawFilesOnHdfs() {
        LabeledImages test = open(rawDir);
        assertEquals("hdfs", test.images().uri().getScheme());
        for (int shards : new int[] {1, 3, 7}) {
            assertEveryImageReadOnce(test.shards(shards));
        }
    }

    @Test
    void gzippedFilesOnHdfs() {
        LabeledImages test = open(gzDir);
        assertTrue(test.images().gzipped());
        assertEveryImageReadOnce(test.shards(3));
    }

    private static LabeledImages open(URI dir) {
        // Only the test set was copied; use it as both sets.
        MnistFileNames names = MnistFileNames.STANDARD;
        MnistFileNames testOnly = new MnistFileNames(names.testImages(), names.testLabels(), names.testImages(), names.testLabels());
        return MnistDataset.open(dir, testOnly, hdfs.configuration()).test();
    }

    private static void assertEveryImageReadOnce(List<Shard> shards) {
        // Executors build their own Configuration: the shard's hdfs:// URIs are fully qualified.
        List<long[]> read = spark.parallelize(shards, shards.size())
                .flatMap(shard -> {
                    RawImages images = shard.read(new Configuration());
                    List<long[]> rows = new ArrayList<>();
                    for (int i = 0; i < images.count(); i++) {
                        rows.add(new long[] {images.first() + i, images.pixelSum(i), images.labels()[i]});
                    }
                    return rows.iterator();
                })
                .collect();
        int[] timesRead = new int[10000];
        for (long[] row : read) {
            int index = (int) row[0];
            timesRead[index]++;
            assertEquals(expectedSums[index], row[1], "pixel sum of image " + index);
            assertEquals(expectedLabels[index], row[2], "label of image " + index);
        }
        int[] once = new int[10000];
        java.util.Arrays.fill(once, 1);
        assertArrayEquals(once, timesRead, shards.size() + " shards");
    }
}
