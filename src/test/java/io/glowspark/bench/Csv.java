package io.glowspark.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Function;

/** The benchmarks' CSV files: a header line, then one record per line of plain comma-separated fields. */
final class Csv {

    private Csv() {
    }

    static String[] fields(String line, int expected) {
        String[] fields = line.split(",", -1);
        if (fields.length != expected) {
            throw new IllegalArgumentException("expected " + expected + " comma-separated fields, got "
                    + fields.length + ": " + line);
        }
        return fields;
    }

    /** Appends lines, writing the header first when the file is new. */
    static void append(Path file, String header, List<String> lines) throws IOException {
        if (!Files.exists(file)) {
            Files.writeString(file, header + System.lineSeparator(), StandardCharsets.UTF_8);
        }
        Files.write(file, lines, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    /** Every record of a file written by {@link #append}, checking its header. */
    static <T> List<T> read(Path file, String header, Function<String, T> parse) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(header)) {
            throw new IllegalArgumentException(file + ": the first line is not the header " + header);
        }
        return lines.subList(1, lines.size()).stream().filter(l -> !l.isBlank()).map(parse).toList();
    }
}
