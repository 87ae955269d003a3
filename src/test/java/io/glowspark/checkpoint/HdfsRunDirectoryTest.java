package io.glowspark.checkpoint;

import io.glowspark.testing.MiniHdfs;
import java.io.IOException;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The run directory contract on a real in-process HDFS (one NameNode, one DataNode, on 127.0.0.1). */
class HdfsRunDirectoryTest extends RunDirectoryContract {

    private static MiniHdfs hdfs;

    @BeforeAll
    static void startHdfs() throws IOException {
        hdfs = new MiniHdfs(HdfsRunDirectoryTest.class.getSimpleName());
    }

    @AfterAll
    static void stopHdfs() {
        if (hdfs != null) {
            hdfs.close();
        }
    }

    @Override
    RunDirectory newRun() throws IOException {
        return RunDirectory.open(hdfs.uri("/runs/run-" + UUID.randomUUID()), hdfs.configuration());
    }
}
