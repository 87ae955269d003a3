package io.glowspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.glowspark.inspect.MetricsRow;
import org.junit.jupiter.api.Test;

/** The trainer's metrics lines read back by the notebooks' reader: one format, two ends. */
class MetricsLineTest {

    @Test
    void linesReadBackAsWrittenWithUnknownValuesAsNaN() {
        MetricsLine line = new MetricsLine(3, 1200, 76_800, 1.25, Double.NaN, 250.5, 30.75, 1e-3);
        assertEquals(new MetricsRow(3, 1200, 76_800, 1.25, Double.NaN, 250.5, 30.75, 1e-3), MetricsRow.parse(line.toJson()));
    }
}
