package io.glowspark.checkpoint;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.util.UUID;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The run directory contract on a real in-process HDFS (one NameNode, one DataNode, on 127.0.0.1). */
class HdfsRunDirectoryTest extends RunDirectoryContract {

    private static MiniDFSCluster cluster;

    @BeforeAll
    static void startHdfs() throws IOException {
        File base = new File("target/minidfs-" + HdfsRunDirectoryTest.class.getSimpleName()).getAbsoluteFile();
        Configuration conf = new Configuration();
        for (String key : new String[] {"dfs.namenode.http-address", "dfs.namenode.https-address",
                "dfs.datanode.address", "dfs.datanode.http.address", "dfs.datanode.https.address",
                "dfs.datanode.ipc.address"}) {
            conf.set(key, "127.0.0.1:0");
        }
        // The client polls for a closed block's completion starting at 400 ms; every checkpoint waits on that.
        conf.setInt("dfs.client.block.write.locateFollowingBlock.initial.delay.ms", 20);
        cluster = new MiniDFSCluster.Builder(conf, base).numDataNodes(1).build();
        cluster.waitActive();
    }

    @AfterAll
    static void stopHdfs() {
        if (cluster != null) {
            cluster.shutdown(true);
        }
    }

    @Override
    RunDirectory newRun() throws IOException {
        URI root = cluster.getFileSystem().getUri();
        return RunDirectory.open(root.resolve("/runs/run-" + UUID.randomUUID()), cluster.getConfiguration(0));
    }
}
