package io.glowspark.notebooks;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * A stand-in for Zeppelin's ZeppelinContext {@code z}, which exists only inside Zeppelin: just the methods the notes
 * use, with Zeppelin's signatures. Form fields return the test's value if it gave one, else the note's default.
 */
public final class TestZeppelinContext {

    private static final int MAX_RESULT = 1000;

    private final Map<String, String> formValues;

    public TestZeppelinContext(Map<String, String> formValues) {
        this.formValues = new ConcurrentHashMap<>(formValues);
    }

    /** Sets a form field's value for the paragraphs run from now on, as a user typing into it does. */
    public void setForm(String name, String value) {
        formValues.put(name, value);
    }

    /** A text box form field. */
    public Object textbox(String name, String defaultValue) {
        return formValues.getOrDefault(name, defaultValue);
    }

    /** A DataFrame as Zeppelin's table display: {@code %table}, then a tab-separated header and rows. */
    public void show(Object value) {
        if (!(value instanceof Dataset<?> dataset)) {
            throw new IllegalArgumentException("show supports DataFrames here, got " + value.getClass().getName());
        }
        Dataset<Row> df = dataset.toDF();
        List<Row> rows = df.limit(MAX_RESULT).collectAsList();
        StringBuilder table = new StringBuilder("%table ").append(String.join("\t", df.columns())).append('\n');
        for (Row row : rows) {
            table.append(rowText(row)).append('\n');
        }
        scala.Console.out().print(table);
    }

    private static String rowText(Row row) {
        return java.util.stream.IntStream.range(0, row.length())
                .mapToObj(i -> String.valueOf(row.get(i)))
                .collect(Collectors.joining("\t"));
    }
}
