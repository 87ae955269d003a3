package io.glowspark.notebooks;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;
import scala.collection.JavaConverters;
import scala.tools.nsc.Settings;
import scala.tools.nsc.interpreter.IMain;
import scala.tools.nsc.interpreter.Results;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the {@code %spark} paragraphs of Zeppelin notes in order, the way Zeppelin's Spark interpreter does: one Scala
 * 2.12 REPL (Spark's {@code IMain} with class-based wrappers) per runner, {@code spark}, {@code sc} and {@code z}
 * bound as {@code @transient} vals, the REPL's classes written to the session's {@code spark.repl.class.outputDir},
 * which SparkContext serves to executors, and the thread context class loader set to the interpreter's.
 * {@code %md} paragraphs are skipped; any other interpreter is refused rather than silently left out.
 */
final class ZeppelinNoteRunner implements AutoCloseable {

    /** Zeppelin's Spark interpreter runs these before the first paragraph. */
    private static final List<String> PRELUDE = List.of(
            "import org.apache.spark.SparkContext._",
            "import spark.implicits._",
            "import spark.sql",
            "import org.apache.spark.sql.functions._");

    /** What one paragraph printed, REPL echo and Console output together, as Zeppelin shows it. */
    record Output(Note note, Note.Paragraph paragraph, String text) {
    }

    /** A paragraph that did not compile, threw, or printed a compiler error. */
    static final class ParagraphFailed extends AssertionError {
        ParagraphFailed(Output output, String why) {
            super("note '" + output.note().name() + "', paragraph " + output.paragraph().id() + ": " + why
                    + "\n--- code ---\n" + output.paragraph().code() + "\n--- output ---\n" + output.text());
        }
    }

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final PrintStream console = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    private final IMain intp;
    private final SparkSession spark;
    private final ClassLoader previousLoader;

    /**
     * Starts the REPL, then the session, in Zeppelin's order: the REPL's classes go to a fresh directory under target/
     * that SparkContext serves to executors (spark.repl.class.outputDir becomes spark.repl.class.uri), and the session
     * is created under the interpreter's context class loader, so local executors resolve REPL classes through it.
     */
    ZeppelinNoteRunner(SparkConf conf, TestZeppelinContext z) throws IOException {
        Path classes = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "repl-classes-");
        Settings settings = new Settings();
        List<String> args = List.of("-Yrepl-class-based", "-Yrepl-outdir", classes.toAbsolutePath().toString(),
                "-classpath", classpath());
        settings.processArguments(JavaConverters.asScalaBuffer(args).toList(), true);
        settings.embeddedDefaults(getClass().getClassLoader());
        intp = new IMain(settings, new PrintWriter(console, true));
        intp.initializeSynchronous();
        previousLoader = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(intp.classLoader());
        spark = SparkSession.builder()
                .config(conf.clone().set("spark.repl.class.outputDir", classes.toAbsolutePath().toString()))
                .getOrCreate();
        bind("spark", SparkSession.class, spark);
        bind("sc", SparkContext.class, spark.sparkContext());
        bind("z", TestZeppelinContext.class, z);
        for (String line : PRELUDE) {
            Results.Result result = intp.interpret(line);
            if (result != Results.Success$.MODULE$) {
                throw new IllegalStateException(line + ": " + result + "\n" + takeOutput());
            }
        }
        takeOutput();
    }

    /** The session the paragraphs see as {@code spark}. */
    SparkSession spark() {
        return spark;
    }

    /** Runs every %spark paragraph of the note in order; fails on the first paragraph that fails. */
    List<Output> run(Note note) {
        List<Output> outputs = new ArrayList<>();
        for (Note.Paragraph paragraph : note.paragraphs()) {
            switch (paragraph.interpreter()) {
                case "md" -> {
                }
                case "spark" -> outputs.add(interpret(note, paragraph));
                default -> throw new IllegalArgumentException("note '" + note.name() + "', paragraph " + paragraph.id()
                        + ": the runner has no %" + paragraph.interpreter() + " interpreter");
            }
        }
        return outputs;
    }

    private Output interpret(Note note, Note.Paragraph paragraph) {
        Results.Result result = scala.Console.withOut(console, () -> intp.interpret(paragraph.code()));
        Output output = new Output(note, paragraph, takeOutput());
        if (result != Results.Success$.MODULE$) {
            throw new ParagraphFailed(output, "the interpreter returned " + result);
        }
        if (output.text().contains("error:")) {
            throw new ParagraphFailed(output, "the output holds an error");
        }
        return output;
    }

    private void bind(String name, Class<?> type, Object value) {
        Results.Result result = intp.bind(name, type.getName(), value,
                JavaConverters.asScalaBuffer(List.of("@transient")).toList());
        if (result != Results.Success$.MODULE$) {
            throw new IllegalStateException("cannot bind " + name + ": " + result + "\n" + takeOutput());
        }
    }

    private String takeOutput() {
        console.flush();
        String text = buffer.toString(StandardCharsets.UTF_8);
        buffer.reset();
        return text;
    }

    /** Surefire runs tests from a manifest-only jar; the compiler needs the real entries. */
    private static String classpath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    @Override
    public void close() {
        spark.stop();
        intp.close();
        Thread.currentThread().setContextClassLoader(previousLoader);
    }
}
