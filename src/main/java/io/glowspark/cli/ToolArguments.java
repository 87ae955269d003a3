package io.glowspark.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The arguments of one {@link GlowTool} command: positional values and {@code --name value} options. */
final class ToolArguments {

    private final String command;
    private final List<String> positional = new ArrayList<>();
    private final Map<String, String> options = new HashMap<>();

    /** Parses {@code args}, accepting only the options in {@code known} (names without the dashes). */
    ToolArguments(String command, List<String> args, Set<String> known) {
        this.command = command;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                positional.add(arg);
                continue;
            }
            String name = arg.substring(2);
            if (!known.contains(name)) {
                throw new UsageException(command + ": unknown option " + arg + "; options: " + (known.isEmpty() ? "none"
                        : "--" + String.join(", --", known.stream().sorted().toList())));
            }
            if (i + 1 == args.size()) {
                throw new UsageException(command + ": " + arg + " needs a value");
            }
            options.put(name, args.get(++i));
        }
    }

    String command() {
        return command;
    }

    /** The one positional argument, the run directory. */
    String run() {
        if (positional.size() != 1) {
            throw new UsageException(command + ": expected one run directory, got " + (positional.isEmpty() ? "none" : positional));
        }
        return positional.get(0);
    }

    /** The option's value, or null if it was not given. */
    String optional(String name) {
        return options.get(name);
    }

    String required(String name) {
        String value = options.get(name);
        if (value == null) {
            throw new UsageException(command + ": --" + name + " is required");
        }
        return value;
    }

    int integer(String name, int defaultValue, int min, int max) {
        String value = options.get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(command + ": --" + name + " must be an integer in " + min + ".." + max + ", got '"
                + value + "'");
    }

    /** A comma-separated list of at most {@code maxCount} numbers >= 0. */
    double[] numbers(String name, String defaultValue, int maxCount) {
        String value = options.getOrDefault(name, defaultValue);
        String[] parts = value.split(",");
        if (parts.length > maxCount) {
            throw new UsageException(command + ": --" + name + " takes at most " + maxCount + " numbers, got " + parts.length);
        }
        double[] numbers = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                numbers[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                numbers[i] = Double.NaN;
            }
            if (!(numbers[i] >= 0) || Double.isInfinite(numbers[i])) {
                throw new UsageException(command + ": --" + name + " must be comma-separated numbers >= 0, got '" + value + "'");
            }
        }
        return numbers;
    }
}
