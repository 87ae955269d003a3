package io.glowspark.train;

import io.glowspark.checkpoint.RunDirectory;
import io.glowspark.data.LabeledImages;
import io.glowspark.data.MnistFileNames;
import io.glowspark.data.SyntheticIdx;
import io.glowspark.testing.MiniHdfs;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;

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

    /**
     * A data directory {@code /datasets/<name>} of made-up IDX files: 64 training and 64 test images of
     * {@code side x side} random pixels, labelled 0..{@code largestLabel} in turn.
     */
    URI syntheticData(String name, int side, int largestLabel) throws IOException {
        SyntheticIdx.randomImages(hdfs.fileSystem(), new Path("/datasets/" + name), 64, side, largestLabel, side);
        return hdfs.uri("/datasets/" + name);
    }

    /** MNIST's first {@code limit} training images, as the jobs read them. */
    LabeledImages trainingSet(int limit) {
        MnistFileNames names = MnistFileNames.STANDARD;
        return LabeledImages.open(mnist, names.trainImages(), names.trainLabels(), configuration()).limit(limit);
    }

    /** A copy of the run directory {@code /runs/<name>} as {@code /runs/<copy>}. */
    RunDirectory copy(String name, String copy) throws IOException {
        FileUtil.copy(hdfs.fileSystem(), run(name).root(), hdfs.fileSystem(), run(copy).root(), false, configuration());
        return run(copy);
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
