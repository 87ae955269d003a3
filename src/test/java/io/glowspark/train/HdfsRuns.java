package io.glowspark.train;

import io.glowspark.checkpoint.RunDirectory;
import io.glowspark.testing.MiniHdfs;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.net.URI;
import java.util.List;

/** A real HDFS holding MNIST and the run directories {@code /runs/<name>} of one test class's jobs. */
final class HdfsRuns implements AutoCloseable {

    private final MiniHdfs hdfs;
    private final URI mnist;

    HdfsRuns(String name) throws IOException {
        hdfs = new MiniHdfs(name);
        mnist = SmallRun.mnistOn(hdfs);
    }

    /**
     * SmallRun's overrides for the run directory {@code /runs/<name>} with 512 training and 128 test images (2 averaging
     * rounds of 2 workers x 4 iterations per epoch), then {@code more}.
     */
    List<String> job(String name, String... more) throws IOException {
        return jobAt(hdfs.uri("/runs/" + name).toString(), more);
    }

    /** The same job with its run directory anywhere, e.g. on the local file system; MNIST stays on HDFS. */
    List<String> jobAt(String runDir, String... more) {
        List<String> overrides = SmallRun.overrides(runDir, mnist, "data.train-limit=512", "data.test-limit=128");
        overrides.addAll(List.of(more));
        return overrides;
    }

    RunDirectory run(String name) throws IOException {
        return RunDirectory.open(hdfs.uri("/runs/" + name), hdfs.configuration());
    }

    Configuration configuration() {
        return hdfs.configuration();
    }

    @Override
    public void close() {
        hdfs.close();
    }
}
