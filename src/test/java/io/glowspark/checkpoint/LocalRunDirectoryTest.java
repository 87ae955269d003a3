package io.glowspark.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The run directory contract on file://. */
class LocalRunDirectoryTest extends RunDirectoryContract {

    @TempDir
    Path tempDir;

    @Override
    RunDirectory newRun() throws IOException {
        return RunDirectory.open(tempDir.resolve("run-" + UUID.randomUUID()).toUri(), new Configuration());
    }

    @Test
    void aRunDirectoryWhereNoDirectoryCanBeIsNamed() throws IOException {
        RunDirectory run = RunDirectory.open(Path.of("/proc/glow-spark-run").toUri(), new Configuration());
        StorageException e = assertThrows(StorageException.class, run::lock);
        assertEquals("file:/proc/glow-spark-run: cannot create the run directory", e.getMessage());
    }
}
