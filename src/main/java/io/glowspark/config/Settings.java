package io.glowspark.config;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;

/**
 * All settings of a run, bound and validated at start-up from three layers, later ones winning:
 * {@code reference.conf} (every key and its default) &lt; one conf file &lt; command-line {@code key=value} overrides
 * (key with or without the {@code glowspark.} prefix).
 */
public final class Settings implements Serializable {

    private static final String ROOT = SettingsReader.ROOT;

    private final RunSettings run;
    private final DataSettings data;
    private final ModelSettings model;
    private final TrainSettings train;
    private final SparkSettings spark;
    private final CheckpointSettings checkpoint;
    private final String hocon;
    private final String json;

    private Settings(SettingsReader r, Config resolved) {
        run = RunSettings.read(r);
        data = DataSettings.read(r);
        model = ModelSettings.read(r, data.modelImageSide());
        train = TrainSettings.read(r);
        spark = SparkSettings.read(r);
        checkpoint = CheckpointSettings.read(r);
        Config own = resolved.withOnlyPath(ROOT);
        ConfigRenderOptions plain = ConfigRenderOptions.defaults().setOriginComments(false).setComments(false);
        hocon = own.root().render(plain.setJson(false));
        json = own.root().render(plain);
    }

    /** The defaults from reference.conf alone. */
    public static Settings defaults() {
        return load(Optional.empty(), List.of());
    }

    /**
     * Loads, merges and validates the settings.
     *
     * @throws SettingsException listing every problem: unknown keys (with the closest known key), wrong types,
     *                           values out of range, unreadable conf file
     */
    public static Settings load(Optional<Path> confFile, List<String> overrides) {
        List<String> problems = new ArrayList<>();
        Optional<Config> file = confFile.map(path -> parseFile(path, problems));
        return merge(file, confFile.map(path -> "conf file " + path).orElse(""), overrides, problems);
    }

    /** Settings from HOCON text over the defaults, validated like a conf file, e.g. a run's saved config.conf. */
    public static Settings parse(String hocon) {
        return parse(hocon, "HOCON text");
    }

    /** The same; {@code origin} names the text in error messages, e.g. the file it was read from. */
    public static Settings parse(String hocon, String origin) {
        List<String> problems = new ArrayList<>();
        Config text;
        try {
            text = ConfigFactory.parseString(hocon, ConfigParseOptions.defaults().setOriginDescription(origin));
        } catch (ConfigException e) {
            problems.add(origin + ": " + e.getMessage());
            text = ConfigFactory.empty();
        }
        return merge(Optional.of(text), origin, List.of(), problems);
    }

    /** {@code overrides} over {@code file} (described as {@code fileOrigin}) over reference.conf, validated. */
    private static Settings merge(Optional<Config> file, String fileOrigin, List<String> overrides, List<String> problems) {
        Config reference = ConfigFactory.defaultReferenceUnresolved();
        // System properties only feed substitutions such as ${user.home}; they do not override settings.
        Config substitutions = ConfigFactory.systemProperties().withoutPath(ROOT);
        Config resolvedReference = reference.withFallback(substitutions).resolve();
        Config commandLine = parseOverrides(overrides, resolvedReference, problems);
        Config resolved;
        try {
            resolved = commandLine.withFallback(file.orElse(ConfigFactory.empty())).withFallback(reference)
                    .withFallback(substitutions).resolve();
        } catch (ConfigException e) {
            problems.add(e.getMessage());
            throw new SettingsException(problems);
        }
        file.ifPresent(f -> checkTopLevelKeys(fileOrigin, f, problems));
        checkKnownKeys(resolved, resolvedReference, problems);
        SettingsReader reader = new SettingsReader(resolved);
        Settings settings = new Settings(reader, resolved);
        problems.addAll(reader.problems());
        if (!problems.isEmpty()) {
            throw new SettingsException(problems);
        }
        return settings;
    }

    public RunSettings run() {
        return run;
    }

    public DataSettings data() {
        return data;
    }

    public ModelSettings model() {
        return model;
    }

    public TrainSettings train() {
        return train;
    }

    public SparkSettings spark() {
        return spark;
    }

    public CheckpointSettings checkpoint() {
        return checkpoint;
    }

    /** The resolved {@code glowspark} tree as HOCON, loadable again as a conf file (e.g. saved in the run directory). */
    public String render() {
        return hocon;
    }

    /** The resolved {@code glowspark} tree as JSON. */
    public String renderJson() {
        return json;
    }

    /** Canonical JSON of what decides whether a checkpoint fits this model: the model section, n-bits and padding. */
    public String compatibilityJson() {
        Map<String, Object> values = Map.of(
                "model", model.configValues(),
                "data", Map.of("n-bits", data.nBits(), "pad-to-32", data.padTo32()));
        return ConfigValueFactory.fromMap(values).render(ConfigRenderOptions.concise());
    }

    /** Hex SHA-256 of {@link #compatibilityJson()}. */
    public String compatibilityHash() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(compatibilityJson().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return hocon;
    }

    private static Config parseFile(Path path, List<String> problems) {
        try {
            return ConfigFactory.parseFile(path.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (ConfigException e) {
            problems.add("conf file " + path + ": " + e.getMessage());
            return ConfigFactory.empty();
        }
    }

    /**
     * Turns {@code key=value} strings into a config. A value for a numeric or boolean key becomes a number or
     * boolean, so that it renders the same as if written in a file.
     */
    private static Config parseOverrides(List<String> overrides, Config reference, List<String> problems) {
        Config result = ConfigFactory.empty();
        for (String override : overrides) {
            int eq = override.indexOf('=');
            if (eq <= 0) {
                problems.add("command-line override '" + override + "': expected key=value");
                continue;
            }
            String key = override.substring(0, eq).trim();
            String path = key.startsWith(ROOT + ".") ? key : ROOT + "." + key;
            String raw = override.substring(eq + 1).trim();
            try {
                ConfigValue value = ConfigValueFactory.fromAnyRef(typed(raw, path, reference), "command line " + override);
                result = value.atPath(path).withFallback(result);
            } catch (ConfigException e) {
                problems.add("command-line override '" + override + "': " + e.getMessage());
            }
        }
        return result;
    }

    /** A HOCON list such as [5, 8] as a list; anything else stays the string, for validation to name. */
    private static Object listOrRaw(String raw) {
        try {
            ConfigValue value = ConfigFactory.parseString("value = " + raw).getValue("value");
            return value.valueType() == ConfigValueType.LIST ? value.unwrapped() : raw;
        } catch (ConfigException e) {
            return raw;
        }
    }

    private static Object typed(String raw, String path, Config reference) {
        if (!reference.hasPath(path)) {
            return raw;
        }
        switch (reference.getValue(path).valueType()) {
            case NUMBER:
                try {
                    return Long.parseLong(raw);
                } catch (NumberFormatException notLong) {
                    try {
                        return Double.parseDouble(raw);
                    } catch (NumberFormatException notNumber) {
                        return raw;
                    }
                }
            case BOOLEAN:
                return raw.equalsIgnoreCase("true") ? Boolean.TRUE : raw.equalsIgnoreCase("false") ? Boolean.FALSE : raw;
            case LIST:
                return listOrRaw(raw);
            default:
                return raw;
        }
    }

    private static void checkTopLevelKeys(String origin, Config file, List<String> problems) {
        for (String key : new TreeSet<>(file.root().keySet())) {
            if (!key.equals(ROOT)) {
                problems.add(origin + ": unknown top-level key '" + key + "'; settings go inside "
                        + ROOT + " { }");
            }
        }
    }

    private static void checkKnownKeys(Config resolved, Config reference, List<String> problems) {
        Set<String> known = new TreeSet<>();
        reference.getConfig(ROOT).entrySet().forEach(e -> known.add(ROOT + "." + e.getKey()));
        Config given;
        try {
            given = resolved.getConfig(ROOT);
        } catch (ConfigException.WrongType e) {
            problems.add(ROOT + ": expected an object of settings, got " + resolved.getValue(ROOT).valueType());
            throw new SettingsException(problems);
        }
        boolean sectionReplaced = false;
        for (String key : new TreeSet<>(given.entrySet().stream().map(e -> ROOT + "." + e.getKey()).toList())) {
            if (known.stream().anyMatch(k -> k.startsWith(key + "."))) {
                problems.add(key + ": is a section of settings, expected { ... }, got the value "
                        + given.getValue(key.substring(ROOT.length() + 1)).render());
                sectionReplaced = true;
            } else if (!known.contains(key)) {
                problems.add("unknown key " + key + KeySuggestion.closest(key, known)
                        .map(k -> "; did you mean " + k + "?").orElse("") + " (from "
                        + given.getValue(key.substring(ROOT.length() + 1)).origin().description() + ")");
            }
        }
        if (sectionReplaced) {
            // Every key of the section would fail to bind too; those follow-up errors would only hide this one.
            throw new SettingsException(problems);
        }
    }
}
