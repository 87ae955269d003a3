package io.glowspark.notebooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** A Zeppelin note (.zpln, the Zeppelin 0.9+ JSON format) reduced to what the runner needs: its paragraphs in order. */
record Note(String id, String name, List<Paragraph> paragraphs, JsonNode json) {

    /** The repository's notes folder. */
    static final Path DIR = Path.of("notebooks");

    /** One paragraph: its interpreter ({@code spark}, {@code md}, ... from the first line) and the code after it. */
    record Paragraph(String id, String interpreter, String code) {

        static Paragraph of(String id, String text) {
            int newline = text.indexOf('\n');
            String first = (newline < 0 ? text : text.substring(0, newline)).trim();
            if (!first.startsWith("%")) {
                throw new IllegalArgumentException("paragraph " + id + " does not start with %interpreter: " + first);
            }
            return new Paragraph(id, first.substring(1), newline < 0 ? "" : text.substring(newline + 1));
        }
    }

    static Note read(Path file) {
        try {
            JsonNode json = new ObjectMapper().readTree(file.toFile());
            List<Paragraph> paragraphs = new ArrayList<>();
            for (JsonNode p : json.path("paragraphs")) {
                paragraphs.add(Paragraph.of(p.path("id").asText(), p.path("text").asText()));
            }
            return new Note(json.path("id").asText(), json.path("name").asText(), List.copyOf(paragraphs), json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read note " + file, e);
        }
    }

    /** Every .zpln file of the notes folder, sorted by name. */
    static List<Path> files() {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".zpln")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
