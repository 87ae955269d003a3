package io.glowspark.notebooks;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The notes are Zeppelin 0.9+ .zpln JSON that Zeppelin can import: the keys it reads, unique ids. */
class NoteFormatTest {

    private static final List<String> NOTE_KEYS = List.of("paragraphs", "name", "id", "defaultInterpreterGroup",
            "version", "noteParams", "noteForms", "angularObjects", "config", "info");

    @Test
    void everyNoteHasZeppelinsKeysAndUniqueNoteAndParagraphIds() {
        List<Path> files = Note.files();
        assertTrue(files.stream().map(f -> f.getFileName().toString()).toList()
                .containsAll(List.of("training-run.zpln", "model-explorer.zpln")), files.toString());
        Set<String> noteIds = new HashSet<>();
        Set<String> paragraphIds = new HashSet<>();
        for (Path file : files) {
            Note note = Note.read(file);
            JsonNode json = note.json();
            for (String key : NOTE_KEYS) {
                assertTrue(json.has(key), file + " has no " + key);
            }
            assertEquals("spark", json.get("defaultInterpreterGroup").asText(), file.toString());
            assertFalse(note.name().isBlank(), file + " has no name");
            assertTrue(noteIds.add(note.id()), file + ": note id " + note.id() + " is used twice");
            assertTrue(json.get("paragraphs").isArray() && !note.paragraphs().isEmpty(), file + " has no paragraphs");
            for (JsonNode p : json.get("paragraphs")) {
                String where = file + " paragraph " + p.path("id").asText();
                assertFalse(p.path("id").asText().isBlank(), file + ": a paragraph without id");
                assertTrue(paragraphIds.add(p.get("id").asText()), where + ": id used twice");
                assertTrue(p.path("config").isObject(), where + " has no config");
                assertTrue(p.path("settings").path("params").isObject() && p.path("settings").path("forms").isObject(),
                        where + " has no settings {params, forms}");
            }
            for (Note.Paragraph p : note.paragraphs()) {
                assertTrue(List.of("spark", "md").contains(p.interpreter()), p.id() + ": %" + p.interpreter());
            }
        }
    }
}
