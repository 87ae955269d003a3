package io.glowspark.testing;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;

/** A real HDFS (NameNode and one DataNode) in the test JVM, on 127.0.0.1, with its files under target/. */
public final class MiniHdfs implements AutoCloseable {

    private final MiniDFSCluster cluster;
    private MiniDFSCluster.DataNodeProperties stoppedDataNode;

    public MiniHdfs(String name) throws IOException {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, java.nio.file.Path.of("target", "minidfs-" + name).toAbsolutePath().toString());
        conf.set("dfs.namenode.rpc-bind-host", "127.0.0.1");
        for (String key : List.of("dfs.namenode.http-address", "dfs.namenode.https-address", "dfs.datanode.address",
                "dfs.datanode.http.address", "dfs.datanode.https.address", "dfs.datanode.ipc.address")) {
            conf.set(key, "127.0.0.1:0");
        }
        // The client polls for a closed block's completion starting at 400 ms; every checkpoint would wait on that.
        conf.setInt("dfs.client.block.write.locateFollowingBlock.initial.delay.ms", 20);
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).nameNodePort(0).build();
        cluster.waitActive();
    }

    public FileSystem fileSystem() throws IOException {
        return cluster.getFileSystem();
    }

    public Configuration configuration() {
        return cluster.getConfiguration(0);
    }

    /** hdfs://127.0.0.1:port/path */
    public URI uri(String path) throws IOException {
        return fileSystem().makeQualified(new Path(path)).toUri();
    }

    /** Copies local files into an HDFS directory and returns its URI. */
    public URI copy(String dir, List<java.nio.file.Path> files) throws IOException {
        for (java.nio.file.Path file : files) {
            try (OutputStream out = fileSystem().create(new Path(dir, file.getFileName().toString()))) {
                Files.copy(file, out);
            }
        }
        return uri(dir);
    }

    /** Stops the NameNode, as when its process dies; {@link #restartNameNode} brings it back with its files. */
    public void stopNameNode() {
        cluster.shutdownNameNode(0);
    }

    /** Starts the NameNode again on its port, with its files, and waits until it serves them. */
    public void restartNameNode() throws IOException {
        cluster.restartNameNode(0);
    }

    /** Stops the DataNode: the NameNode still answers, but no block can be written or read. */
    public void stopDataNode() {
        stoppedDataNode = cluster.stopDataNode(0);
    }

    public void restartDataNode() throws IOException {
        cluster.restartDataNode(stoppedDataNode, true);
        cluster.waitActive();
    }

    @Override
    public void close() {
        cluster.shutdown();
    }
}
