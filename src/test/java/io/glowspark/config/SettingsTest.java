package io.glowspark.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.glowspark.config.SparkSettings.Repartition;
import io.glowspark.config.TrainSettings.Optimizer;
import io.glowspark.data.Dequantization;
import io.glowspark.data.MnistFileNames;
import io.glowspark.flow.GlowSpec;

class SettingsTest {

    @TempDir
    Path temp;

    @Test
    void defaultsComeFromReferenceConf() {
        Settings s = Settings.defaults();
        assertEquals(new ModelSettings(2, 8, 128, GlowSpec.Coupling.AFFINE, GlowSpec.Permutation.LU,
                GlowSpec.Conditioner.GLOW, GlowSpec.ClassConditioning.NONE), s.model());
        assertEquals(2e-3, s.train().learningRate());
        assertEquals(Optimizer.ADAM, s.train().optimizer());
        assertEquals(42L, s.train().seed());
        assertEquals(Repartition.NEVER, s.spark().repartition());
        assertEquals("NONE", s.spark().storageLevel());
        assertEquals(MnistFileNames.STANDARD, s.data().fileNames());
        assertEquals("", s.data().dir());
        assertEquals(Path.of(System.getProperty("user.home"), ".cache", "glow-spark", "mnist").toString(), s.data().cacheDir());
        assertEquals(new CheckpointSettings(0, 10, true, 3, true, Duration.ofSeconds(60), Duration.ofSeconds(10)), s.checkpoint());
    }

    @Test
    void commandLineWinsOverFileWhichWinsOverReference() throws IOException {
        Path conf = write("glowspark { model.levels = 1\n train { epochs = 3, seed = 5 } }");
        Settings s = Settings.load(Optional.of(conf),
                List.of("train.epochs=7", "glowspark.train.learning-rate=2e-4", "train.epochs=9", "spark.kryo=false"));
        assertEquals(1, s.model().levels());
        assertEquals(8, s.model().stepsPerLevel());
        assertEquals(9, s.train().epochs());
        assertEquals(5L, s.train().seed());
        assertEquals(2e-4, s.train().learningRate());
        assertEquals(false, s.spark().kryo());
    }

    @Test
    void projectConfFilesLoad() {
        Settings local = Settings.load(Optional.of(Path.of("conf", "local.conf")), List.of());
        assertEquals("local[*]", local.spark().master());
        assertEquals(1, local.train().epochs());
        assertEquals(0, local.data().trainLimit(), "the first run trains on every image");
        Settings cluster = Settings.load(Optional.of(Path.of("conf", "cluster.conf")), List.of());
        assertTrue(cluster.data().dir().startsWith("hdfs://"), cluster.data().dir());
        Settings fashion = Settings.load(Optional.of(Path.of("conf", "fashion-mnist.conf")), List.of());
        assertEquals("file:///usr/share/datasets/fashion-mnist", fashion.data().dir());
        assertEquals("/usr/share/datasets/fashion-mnist", fashion.data().resolveDir().getPath(), "Debian's package");
        assertEquals(MnistFileNames.STANDARD, fashion.data().fileNames(), "MNIST's names, found with their .gz");
        assertEquals("local[*]", fashion.spark().master());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "train.learning-rate=0            | glowspark.train.learning-rate: must be > 0.0, got 0.0",
        "train.learning-rate=-1e-3        | glowspark.train.learning-rate: must be > 0.0, got -0.001",
        "train.batch-size-per-worker=0    | glowspark.train.batch-size-per-worker: must be >= 1, got 0",
        "train.epochs=0                   | glowspark.train.epochs: must be >= 1, got 0",
        "train.decay-epochs=[5,3]         | glowspark.train.decay-epochs: must be increasing, got [5, 3]",
        "train.decay-epochs=[0]           | glowspark.train.decay-epochs: every value must be >= 1, got [0]",
        "train.decay-epochs=5             | glowspark.train.decay-epochs: expected a list of integers, got string \"5\"",
        "train.decay-factor=0             | glowspark.train.decay-factor: must be > 0.0, got 0.0",
        "train.decay-factor=1.5           | glowspark.train.decay-factor: must be at most 1, got 1.5",
        "train.polyak-decay=1             | glowspark.train.polyak-decay: must be less than 1, got 1.0",
        "train.polyak-decay=-0.5          | glowspark.train.polyak-decay: must be >= 0.0, got -0.5",
        "checkpoint.keep-last=0           | glowspark.checkpoint.keep-last: must be >= 1, got 0",
        "checkpoint.lock-lease-seconds=0  | glowspark.checkpoint.lock-lease-seconds: must be >= 1, got 0",
        "checkpoint.lock-renew-seconds=40 | glowspark.checkpoint.lock-renew-seconds: must be less than two thirds of checkpoint.lock-lease-seconds (60): a job writes only while its last renewal is younger than that, got 40",
        "data.n-bits=0                    | glowspark.data.n-bits: must be in 1..8, got 0",
        "data.n-bits=9                    | glowspark.data.n-bits: must be in 1..8, got 9",
        "data.train-limit=-1              | glowspark.data.train-limit: must be >= 0, got -1",
        "data.test-images=a/b             | glowspark.data.test-images: must be a file name",
        "run.dir=                         | glowspark.run.dir: must not be empty",
        "model.levels=3                   | glowspark.model.levels: must be in 1..2 for 28x28 images",
        "model.levels=0                   | glowspark.model.levels: must be >= 1, got 0",
        "model.coupling=affin             | glowspark.model.coupling: must be one of affine | additive, got 'affin'",
        "model.permutation=shuffle        | glowspark.model.permutation: must be one of lu | plain | reverse, got 'shuffle'",
        "train.optimizer=sgd              | glowspark.train.optimizer: must be one of adam | adamax, got 'sgd'",
        "spark.repartition=sometimes      | glowspark.spark.repartition: must be one of always | never | num-partitions-workers-differs",
        "spark.repartition-strategy=fair  | glowspark.spark.repartition-strategy: must be one of balanced | approximate-balanced | spark-default",
        "spark.training-approach=shared   | glowspark.spark.training-approach: must be one of export | direct",
        "spark.storage-level=MEMORY       | glowspark.spark.storage-level: must be one of NONE | DISK_ONLY |",
        "train.epochs=many                | glowspark.train.epochs: expected an integer, got string \"many\" (command line train.epochs=many)",
        "model.levels=1.5                 | glowspark.model.levels: expected an integer, got number 1.5",
        "spark.kryo=maybe                 | glowspark.spark.kryo: expected a boolean (true or false), got string \"maybe\"",
        "train.seed=x                     | glowspark.train.seed: expected an integer",
        "model.level=2                    | unknown key glowspark.model.level; did you mean glowspark.model.levels?",
        "train.levels=2                   | unknown key glowspark.train.levels; did you mean glowspark.model.levels?",
        "checkpoint.every-minute=5        | unknown key glowspark.checkpoint.every-minute; did you mean glowspark.checkpoint.every-minutes?",
        "nonsense                         | command-line override 'nonsense': expected key=value",
        "model=3                          | glowspark.model: is a section of settings, expected { ... }, got the value \"3\"",
        "model.conditional-split-priors=true | glowspark.model.conditional-split-priors: conditions the split priors of a class-conditional model: set glowspark.model.conditional = true",
    })
    void invalidValueIsRejectedNamingKeyAndAllowedValues(String override, String expected) {
        SettingsException e = assertThrows(SettingsException.class, () -> Settings.load(Optional.empty(), List.of(override)));
        assertTrue(e.getMessage().contains(expected.trim()), "expected '" + expected.trim() + "' in: " + e.getMessage());
    }

    @Test
    void paddingAllowsMoreLevels() {
        assertEquals(5, Settings.load(Optional.empty(), List.of("data.pad-to-32=true", "model.levels=5")).model().levels());
        SettingsException e = assertThrows(SettingsException.class,
                () -> Settings.load(Optional.empty(), List.of("data.pad-to-32=true", "model.levels=6")));
        assertTrue(e.getMessage().contains("glowspark.model.levels: must be in 1..5 for 32x32 images"), e.getMessage());
    }

    @Test
    void allProblemsAreReportedTogether() throws IOException {
        Path conf = write("glowspark { train { epochs = \"lots\" }, modle { levels = 2 } }\nmodel { levels = 3 }");
        SettingsException e = assertThrows(SettingsException.class,
                () -> Settings.load(Optional.of(conf), List.of("data.n-bits=12")));
        assertEquals(4, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("glowspark.train.epochs: expected an integer, got string \"lots\" (" + conf), e.getMessage());
        assertTrue(e.getMessage().contains("unknown key glowspark.modle.levels; did you mean glowspark.model.levels?"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown top-level key 'model'"), e.getMessage());
        assertTrue(e.getMessage().contains("glowspark.data.n-bits: must be in 1..8, got 12"), e.getMessage());
    }

    @Test
    void missingConfFile() {
        Path missing = temp.resolve("nope.conf");
        SettingsException e = assertThrows(SettingsException.class, () -> Settings.load(Optional.of(missing), List.of()));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void renderedConfigLoadsBackToTheSameSettings() throws IOException {
        Settings s = Settings.load(Optional.empty(), List.of("model.levels=1", "run.dir=hdfs://nn:8020/runs/a"));
        Settings again = Settings.load(Optional.of(write(s.render())), List.of());
        assertEquals(s.render(), again.render());
        assertEquals(s.model(), again.model());
        assertEquals("hdfs://nn:8020/runs/a", again.run().dir());
        assertTrue(s.renderJson().contains("\"steps-per-level\" : 8"), s.renderJson());
    }

    @Test
    void renderedConfigParsesBackFromText() {
        Settings s = Settings.load(Optional.empty(), List.of("model.levels=1", "train.epochs=3"));
        Settings again = Settings.parse(s.render());
        assertEquals(s.render(), again.render());
        assertEquals(s.model(), again.model());
    }

    @Test
    void parsedTextIsValidatedNamingItsOrigin() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> Settings.parse("glowspark.model.levels = 0\nother = 1", "runs/a/config.conf"));
        assertTrue(e.getMessage().contains("glowspark.model.levels: must be"), e.getMessage());
        assertTrue(e.getMessage().contains("runs/a/config.conf: unknown top-level key 'other'"), e.getMessage());
    }

    @Test
    void compatibilityHashCoversModelAndDataEncodingOnly() {
        Settings defaults = Settings.defaults();
        assertEquals("{\"data\":{\"n-bits\":8,\"pad-to-32\":false},\"model\":{\"coupling\":\"affine\",\"hidden-actnorm\":true,"
                + "\"hidden-channels\":128,\"levels\":2,\"permutation\":\"lu\",\"steps-per-level\":8,"
                + "\"zero-conv-logscale-factor\":3.0}}", defaults.compatibilityJson());
        assertTrue(defaults.compatibilityHash().matches("[0-9a-f]{64}"));
        assertEquals(defaults.compatibilityHash(), hash("model.coupling=AFFINE", "train.learning-rate=0.1", "spark.workers=3"));
        assertNotEquals(defaults.compatibilityHash(), hash("model.levels=1"));
        assertNotEquals(defaults.compatibilityHash(), hash("model.permutation=plain"));
        assertNotEquals(defaults.compatibilityHash(), hash("model.hidden-actnorm=false"));
        assertNotEquals(defaults.compatibilityHash(), hash("model.zero-conv-logscale-factor=2"));
        assertNotEquals(defaults.compatibilityHash(), hash("data.n-bits=5"));
        assertNotEquals(defaults.compatibilityHash(), hash("data.pad-to-32=true"));
        String conditional = hash("model.conditional=true");
        assertNotEquals(defaults.compatibilityHash(), conditional);
        assertNotEquals(conditional, hash("model.conditional=true", "model.conditional-split-priors=true"));
    }

    /** Runs written before class conditioning existed are unconditional and hash without its keys. */
    @Test
    void onlyAClassConditionalModelAddsItsKeysToTheCompatibilityJson() {
        assertFalse(Settings.defaults().compatibilityJson().contains("class"), Settings.defaults().compatibilityJson());
        assertTrue(Settings.load(Optional.empty(), List.of("model.conditional=true")).compatibilityJson()
                .contains("\"classes\":10,\"conditional\":true,\"conditional-split-priors\":false"));
    }

    /** Runs written before the conditioner options existed hold the plain conditioner and hash without its keys. */
    @Test
    void plainConditionerHashesLikeAModelWithoutConditionerOptions() {
        Settings plain = Settings.load(Optional.empty(), List.of("model.hidden-actnorm=false",
                "model.zero-conv-logscale-factor=0"));
        assertEquals("{\"data\":{\"n-bits\":8,\"pad-to-32\":false},\"model\":{\"coupling\":\"affine\",\"hidden-channels\":128,"
                + "\"levels\":2,\"permutation\":\"lu\",\"steps-per-level\":8}}", plain.compatibilityJson());
    }

    @Test
    void dataSettingsMapToTheDataPackage() {
        DataSettings data = Settings.load(Optional.empty(), List.of("data.dir=hdfs://nn:8020/mnist data",
                "data.train-images=train.idx.gz", "data.n-bits=5", "data.pad-to-32=true")).data();
        assertEquals(URI.create("hdfs://nn:8020/mnist%20data"), data.resolveDir());
        assertEquals("train.idx.gz", data.fileNames().trainImages());
        assertEquals(32, data.modelImageSide());
        assertEquals(new Dequantization(5, true, 7), data.dequantization(7));
    }

    @Test
    void modelSettingsMapToGlowSpec() {
        GlowSpec spec = Settings.defaults().model().toSpec(1, 28, 28, 5);
        assertEquals(new GlowSpec(1, 28, 28, 2, 8, 128, GlowSpec.Coupling.AFFINE, GlowSpec.Permutation.LU,
                GlowSpec.Conditioner.GLOW, 5), spec);
        GlowSpec conditional = Settings.load(Optional.empty(), List.of("model.conditional=true",
                "model.conditional-split-priors=true")).model().toSpec(1, 28, 28, 8);
        assertEquals(new GlowSpec.ClassConditioning(10, true), conditional.classes(), "the digits' classes");
    }

    @Test
    void settingsAreSerializable() throws Exception {
        Settings s = Settings.load(Optional.empty(), List.of("train.epochs=4"));
        var bytes = new ByteArrayOutputStream();
        try (var out = new ObjectOutputStream(bytes)) {
            out.writeObject(s);
        }
        try (var in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            Settings copy = (Settings) in.readObject();
            assertEquals(s.train(), copy.train());
            assertEquals(s.render(), copy.render());
        }
    }

    private static String hash(String... overrides) {
        return Settings.load(Optional.empty(), List.of(overrides)).compatibilityHash();
    }

    private Path write(String content) throws IOException {
        Path file = Files.createTempFile(temp, "settings", ".conf");
        Files.writeString(file, content);
        return file;
    }
}
