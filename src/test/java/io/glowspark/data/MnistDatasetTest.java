package io.glowspark.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real MNIST files, read through the Hadoop local file system and checked against a plain java.io read. */
class MnistDatasetTest {

    private static final Configuration CONF = new Configuration();
    private static Path dir;
    private static MnistDataset mnist;

    @BeforeAll
    static void open() {
        dir = MnistTestFiles.dir();
        mnist = MnistDataset.open(dir.toUri(), MnistFileNames.STANDARD, CONF);
    }

    @Test
    void headers() {
        assertEquals(60000, mnist.train().count());
        assertEquals(10000, mnist.test().count());
        assertEquals(List.of(28, 28), mnist.train().images().header().itemDims());
        assertEquals(List.of(), mnist.test().labels().header().itemDims());
        assertEquals("file", mnist.train().images().uri().getScheme());
    }

    @Test
    void firstLabels() {
        assertArrayEquals(new int[] {5, 0, 4, 1, 9, 2, 1, 3, 1, 4}, new Shard(
                mnist.train().images(), mnist.train().labels(), 0, 10).read(CONF).labels());
        assertArrayEquals(new int[] {7, 2, 1, 0, 4, 1, 4, 9, 5, 9}, mnist.test().shards(1000).get(0).read(CONF).labels());
    }

    @Test
    void pixelSumsMatchAnIndependentRead() throws IOException {
        Path trainImages = dir.resolve(MnistFileNames.STANDARD.trainImages());
        for (int index : new int[] {0, 1, 12345, 59999}) {
            RawImages one = new Shard(mnist.train().images(), mnist.train().labels(), index, 1).read(CONF);
            assertEquals(IndependentIdxRead.pixelSum(trainImages, index), one.pixelSum(0), "train image " + index);
        }
        RawImages lastShard = mnist.train().shards(7).get(6).read(CONF);
        assertEquals(IndependentIdxRead.pixelSum(trainImages, 59999), lastShard.pixelSum(lastShard.count() - 1));
        RawImages test = mnist.test().shards(100).get(0).read(CONF);
        assertEquals(IndependentIdxRead.pixelSum(dir.resolve(MnistFileNames.STANDARD.testImages()), 0), test.pixelSum(0));
        assertEquals(IndependentIdxRead.label(dir.resolve(MnistFileNames.STANDARD.testLabels()), 99), test.labels()[99]);
    }

    @Test
    void shardsSurviveJavaSerialization() throws Exception {
        Shard shard = mnist.test().shards(5).get(4);
        var bytes = new ByteArrayOutputStream();
        try (var out = new ObjectOutputStream(bytes)) {
            out.writeObject(shard);
        }
        try (var in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(shard, in.readObject());
        }
    }

    @Test
    void shardsCoverEveryItemOnceInOrder() {
        for (int n : new int[] {1, 3, 7, 10000, 20000}) {
            List<Shard> shards = mnist.test().shards(n);
            assertEquals(Math.min(n, 10000), shards.size());
            int next = 0;
            for (Shard shard : shards) {
                assertEquals(next, shard.first());
                next += shard.count();
            }
            assertEquals(10000, next);
        }
        int[] sizes = mnist.train().limit(1000).shards(3).stream().mapToInt(Shard::count).toArray();
        assertEquals(1000, Arrays.stream(sizes).sum());
        assertEquals(1, Arrays.stream(sizes).max().getAsInt() - Arrays.stream(sizes).min().getAsInt());
    }
}
