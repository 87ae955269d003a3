package io.glowspark.notebooks;

import io.glowspark.testing.LocalSpark;
import io.glowspark.train.SmallRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The note runner itself, on small notes: REPL classes on executors, state across paragraphs, z, failures. */
class ZeppelinNoteRunnerTest {

    private static ZeppelinNoteRunner runner;

    @BeforeAll
    static void start() throws IOException {
        runner = new ZeppelinNoteRunner(LocalSpark.conf("ZeppelinNoteRunnerTest"),
                new TestZeppelinContext(Map.of("runDir", "hdfs://127.0.0.1:1/run")));
    }

    @AfterAll
    static void stop() {
        if (runner != null) {
            runner.close();
        }
    }

    private static Note note(String... texts) {
        List<Note.Paragraph> paragraphs = new java.util.ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            paragraphs.add(Note.Paragraph.of("paragraph_" + i, texts[i]));
        }
        return new Note("test", "runner test", List.copyOf(paragraphs), null);
    }

    @Test
    void classesDefinedInAParagraphReachExecutorsAndStateCarriesToTheNextParagraph() {
        List<ZeppelinNoteRunner.Output> outputs = runner.run(note(
                "%md\n# not run",
                "%spark\ncase class Pair(a: Int, b: Int)\nval pairs = sc.parallelize(1 to 4, 2).map(i => Pair(i, i * 2)).collect()",
                "%spark\nprintln(\"sum=\" + pairs.map(_.b).sum + \" uri=\" + sc.getConf.get(\"spark.repl.class.uri\"))\n"
                        + "z.show(pairs.toSeq.toDF())"));
        assertEquals(2, outputs.size());
        String last = outputs.get(1).text();
        assertTrue(last.contains("sum=20 uri=spark://127.0.0.1:"), "REPL classes served to executors: " + last);
        assertTrue(last.contains("%table a\tb\n1\t2\n2\t4\n"), last);
    }

    @Test
    void formFieldsReturnTheTestValueOrTheDefault() {
        String text = runner.run(note("%spark\nprintln(z.textbox(\"runDir\", \"runs/local\") + \" \" + z.textbox(\"other\", \"d\"))"))
                .get(0).text();
        assertTrue(text.contains("hdfs://127.0.0.1:1/run d"), text);
    }

    @Test
    void compileErrorsAndExceptionsFailTheParagraph() {
        assertThrows(ZeppelinNoteRunner.ParagraphFailed.class, () -> runner.run(note("%spark\nval n: Int = \"no\"")));
        assertThrows(ZeppelinNoteRunner.ParagraphFailed.class, () -> runner.run(note("%spark\nthrow new IllegalStateException(\"boom\")")));
        assertThrows(IllegalArgumentException.class, () -> runner.run(note("%python\nprint(1)")));
    }
}
