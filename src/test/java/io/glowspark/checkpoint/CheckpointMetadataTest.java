package io.glowspark.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class CheckpointMetadataTest {

    static CheckpointMetadata metadata(long iteration, double testBpd) {
        EpochProgress progress = new EpochProgress(6400, 100, 42L, (int) (iteration % 100), 64 * (iteration % 100),
                3.25 * 64 * (iteration % 100), 1.5 * iteration);
        return new CheckpointMetadata(2, iteration, iteration * 64, progress, 3.25, testBpd, 42L, true,
                "cfg-hash", 1_700_000_000_000L + iteration, "0.1.0-SNAPSHOT");
    }

    @Test
    void jsonRoundTripKeepsEveryFieldIncludingNaN() throws IOException {
        for (CheckpointMetadata m : new CheckpointMetadata[] {metadata(7, 1.5), metadata(8, Double.NaN)}) {
            assertEquals(m, Json.read(Json.write(m), CheckpointMetadata.class));
        }
        assertTrue(Double.isNaN(Json.read(Json.write(metadata(8, Double.NaN)), CheckpointMetadata.class).testBpd()));
    }

    @Test
    void jsonWithAMissingFieldIsRejected() throws IOException {
        String json = new String(Json.write(metadata(7, 1.5)), StandardCharsets.UTF_8).replace("\"imagesSeen\":448,", "");
        assertThrows(IOException.class, () -> Json.read(json.getBytes(StandardCharsets.UTF_8), CheckpointMetadata.class));
    }

    @Test
    void negativeCountersAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new CheckpointMetadata(0, -1, 0, EpochProgress.NOT_STARTED,
                1, 1, 1, false, "h", 0, "v"));
        assertThrows(IllegalArgumentException.class, () -> new EpochProgress(100, 10, 1, 11, 0, 0, 0),
                "more blocks done than the epoch has");
    }
}
