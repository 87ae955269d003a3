package io.glowspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.glowspark.data.LabeledImages;
import io.glowspark.data.MnistFileNames;
import io.glowspark.data.MnistTestFiles;
import io.glowspark.data.Shard;
import io.glowspark.testing.LocalSpark;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one mapping from failure to exit code, for failures provoked for real. */
class FailureTest {

    @TempDir
    Path dir;

    @Test
    void aDataErrorInsideASparkTaskIsBadInputNamingTheFileInOneLine() throws IOException {
        MnistFileNames names = MnistFileNames.STANDARD;
        for (String name : List.of(names.testImages(), names.testLabels())) {
            Files.copy(MnistTestFiles.dir().resolve(name), dir.resolve(name));
        }
        LabeledImages test = LabeledImages.open(dir.toUri(), names.testImages(), names.testLabels(), new Configuration());
        try (RandomAccessFile images = new RandomAccessFile(dir.resolve(names.testImages()).toFile(), "rw")) {
            images.setLength(images.length() / 2); // damaged after the driver checked it
        }
        Shard last = test.shards(2).get(1);
        SparkException e;
        try (JavaSparkContext sc = LocalSpark.start("FailureTest")) {
            e = assertThrows(SparkException.class, () -> sc.parallelize(List.of(last), 1)
                    .map(shard -> shard.read(new Configuration()).count()).collect());
        }
        Failure failure = Failure.of(e);
        assertEquals(ExitCode.BAD_INPUT, failure.code());
        assertEquals("bad configuration or input: file:" + dir.resolve(names.testImages())
                + ": truncated: ended before the size its header declares", failure.message());
        assertNull(failure.trace(), "no stack trace for the user's input");
    }

    @Test
    void aFullDiskIsBadInputAndAnythingElseUnexpected() throws IOException {
        FileSystem local = FileSystem.getLocal(new Configuration()).getRawFileSystem();
        // The kernel's full-disk error, ENOSPC, which Hadoop's local file system turns into an Error (FSError).
        Error full = assertThrows(Error.class, () -> {
            try (FSDataOutputStream out = local.create(new org.apache.hadoop.fs.Path("/dev/full"), true)) {
                out.write(new byte[1 << 16]);
            }
        });
        Failure failure = Failure.of(full);
        assertEquals(ExitCode.BAD_INPUT, failure.code());
        assertEquals("the file system refused: No space left on device",
                failure.message());

        IllegalStateException bug = new IllegalStateException("a bug");
        assertEquals(ExitCode.UNEXPECTED, Failure.of(bug).code());
        assertEquals(bug, Failure.of(bug).trace(), "an unexpected error keeps its stack trace for the log");
    }
}
