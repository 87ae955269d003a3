package io.glowspark.inspect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One line of a run's {@code metrics.jsonl}: written after the ActNorm initialization (epoch 0) and after every epoch.
 * Values the trainer did not know (written as JSON null) are NaN.
 */
public record MetricsRow(int epoch, long iteration, long imagesSeen, double trainBpd, double testBpd,
                         double imagesPerSecond, double seconds, double learningRate) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Parses one line as the trainer writes it (io.glowspark.train.MetricsLine). */
    public static MetricsRow parse(String jsonLine) {
        JsonNode line;
        try {
            line = JSON.readTree(jsonLine);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (line == null || !line.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        return new MetricsRow(Math.toIntExact(count(line, "epoch")), count(line, "iteration"),
                count(line, "images_seen"), number(line, "train_bpd"), number(line, "test_bpd"),
                number(line, "images_per_sec"), number(line, "seconds"), number(line, "learning_rate"));
    }

    private static long count(JsonNode line, String field) {
        JsonNode value = present(line, field);
        if (!value.canConvertToLong()) {
            throw new IllegalArgumentException("'" + field + "' must be an integer, got " + value);
        }
        return value.longValue();
    }

    private static double number(JsonNode line, String field) {
        JsonNode value = present(line, field);
        if (!(value.isNull() || value.isNumber())) {
            throw new IllegalArgumentException("'" + field + "' must be a number or null, got " + value);
        }
        return value.isNull() ? Double.NaN : value.doubleValue();
    }

    private static JsonNode present(JsonNode line, String field) {
        JsonNode value = line.get(field);
        if (value == null) {
            throw new IllegalArgumentException("no '" + field + "'");
        }
        return value;
    }
}
