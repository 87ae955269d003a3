package io.glowspark.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.io.TempDir;

/** The run directory contract on file://. */
class LocalRunDirectoryTest extends RunDirectoryContract {

    @TempDir
    Path tempDir;

    @Override
    RunDirectory newRun() throws IOException {
        return RunDirectory.open(tempDir.resolve("run-" + UUID.randomUUID()).toUri(), new Configuration());
    }
}
