package io.glowspark.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;

/**
 * Reads typed values under {@code glowspark.} from a resolved config, collecting every problem instead of
 * stopping at the first; a value with a problem reads as a harmless placeholder so binding can go on.
 */
final class SettingsReader {

    static final String ROOT = "glowspark";

    private final Config config;
    private final List<String> problems = new ArrayList<>();

    SettingsReader(Config config) {
        this.config = config;
    }

    static String fullKey(String key) {
        return ROOT + "." + key;
    }

    List<String> problems() {
        return problems;
    }

    void problem(String key, String problem) {
        problems.add(fullKey(key) + ": " + problem);
    }

    /** Records {@code problem} for {@code key} unless {@code ok}. */
    void require(boolean ok, String key, String problem) {
        if (!ok) {
            problem(key, problem);
        }
    }

    String string(String key) {
        return read(key, "a string", "", Config::getString);
    }

    boolean bool(String key) {
        return read(key, "a boolean (true or false)", false, Config::getBoolean);
    }

    long longValue(String key) {
        return read(key, "an integer", 0L, (c, path) -> integral(c, path, Long.MIN_VALUE, Long.MAX_VALUE));
    }

    int intAtLeast(String key, int min) {
        return intIn(key, min, Integer.MAX_VALUE);
    }

    int intIn(String key, int min, int max) {
        int value = read(key, "an integer", min, (c, path) -> (int) integral(c, path, Integer.MIN_VALUE, Integer.MAX_VALUE));
        require(value >= min && value <= max, key, "must be " + range(min, max) + ", got " + value);
        return value;
    }

    /** A strictly increasing list of integers, each at least {@code min}, e.g. [5, 8]. */
    List<Integer> increasingIntsAtLeast(String key, int min) {
        List<Integer> values = read(key, "a list of integers", List.of(), Config::getIntList);
        for (int i = 0; i < values.size(); i++) {
            require(values.get(i) >= min, key, "every value must be >= " + min + ", got " + values);
            require(i == 0 || values.get(i) > values.get(i - 1), key, "must be increasing, got " + values);
        }
        return List.copyOf(values);
    }

    /** A number greater than {@code min} (exclusive). */
    double doubleAbove(String key, double min) {
        double value = read(key, "a number", Double.NaN, Config::getDouble);
        require(Double.isNaN(value) || value > min, key, "must be > " + min + ", got " + value);
        return Double.isNaN(value) ? min : value;
    }

    double doubleAtLeast(String key, double min) {
        double value = read(key, "a number", min, Config::getDouble);
        require(value >= min, key, "must be >= " + min + ", got " + value);
        return value;
    }

    /** An enum constant, written in the config in lower case with dashes: num-partitions-workers-differs. */
    <E extends Enum<E>> E choice(String key, Class<E> type) {
        E[] constants = type.getEnumConstants();
        String value = string(key);
        for (E constant : constants) {
            if (constant.name().equalsIgnoreCase(value.trim().replace('-', '_'))) {
                return constant;
            }
        }
        rejectChoice(key, value, Arrays.stream(constants).map(SettingsReader::configName).toList());
        return constants[0];
    }

    /** One of {@code allowed}, compared ignoring case, returned as spelled in {@code allowed}. */
    String oneOf(String key, List<String> allowed) {
        String value = string(key);
        for (String candidate : allowed) {
            if (candidate.equalsIgnoreCase(value.trim())) {
                return candidate;
            }
        }
        rejectChoice(key, value, allowed);
        return allowed.get(0);
    }

    static String configName(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private void rejectChoice(String key, String value, List<String> allowed) {
        if (problems.stream().noneMatch(p -> p.startsWith(fullKey(key) + ":"))) {
            problem(key, "must be one of " + String.join(" | ", allowed) + ", got '" + value + "'");
        }
    }

    private static String range(int min, int max) {
        return max == Integer.MAX_VALUE ? ">= " + min : "in " + min + ".." + max;
    }

    /** An integer number; unlike Config.getInt, 2.5 is an error rather than 2. */
    private static long integral(Config c, String path, long min, long max) {
        Number n = c.getNumber(path);
        double d = n.doubleValue();
        if (!(n instanceof Integer || n instanceof Long) && (d != Math.rint(d) || Double.isInfinite(d))
                || d < min || d > max) {
            throw new ConfigException.WrongType(c.getValue(path).origin(), path, "an integer", n.toString());
        }
        return n.longValue();
    }

    private interface Getter<T> {
        T get(Config config, String path);
    }

    private <T> T read(String key, String expected, T placeholder, Getter<T> getter) {
        String path = fullKey(key);
        try {
            return getter.get(config, path);
        } catch (ConfigException.Null e) {
            problem(key, "is null, expected " + expected);
        } catch (ConfigException.Missing e) {
            problem(key, "missing, expected " + expected);
        } catch (ConfigException.WrongType | ConfigException.BadValue e) {
            problem(key, "expected " + expected + ", got " + describe(path));
        }
        return placeholder;
    }

    private String describe(String path) {
        try {
            ConfigValue value = config.getValue(path);
            return value.valueType().name().toLowerCase(Locale.ROOT) + " " + value.render() + " ("
                    + value.origin().description() + ")";
        } catch (ConfigException e) {
            return "a value of another type (" + e.getMessage() + ")";
        }
    }
}
