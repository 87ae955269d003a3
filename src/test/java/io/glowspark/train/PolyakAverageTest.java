package io.glowspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PolyakAverageTest {

    private static final double DECAY = 0.9;

    private static INDArray vector(double... values) {
        return Nd4j.createFromArray(values).castTo(DataType.FLOAT).reshape(1, values.length);
    }

    @Test
    void theStartingParametersDropOutAtTheFirstUpdate() {
        PolyakAverage average = PolyakAverage.start(DECAY, vector(100, 100));
        average.update(vector(1, 2), 3);
        assertEquals(vector(1, 2), average.parameters());
    }

    @Test
    void theAverageIsTheBiasCorrectedExponentialMeanOverIterations() {
        INDArray p1 = vector(1, -4);
        INDArray p2 = vector(3, 8);
        PolyakAverage average = PolyakAverage.start(DECAY, vector(0, 0));
        average.update(p1, 3);
        average.update(p2, 5);
        // p1 stands for iterations 1-3, p2 for 4-5: weights sum_{k=2..4} d^k and sum_{k=0..1} d^k, normalized
        double w1 = Math.pow(DECAY, 2) * (1 - Math.pow(DECAY, 3));
        double w2 = 1 - Math.pow(DECAY, 2);
        double total = 1 - Math.pow(DECAY, 5);
        assertEquals((w1 * 1 + w2 * 3) / total, average.parameters().getDouble(0), 1e-6);
        assertEquals((w1 * -4 + w2 * 8) / total, average.parameters().getDouble(1), 1e-6);
    }

    @Test
    void decayZeroFollowsTheRawParameters() {
        PolyakAverage average = PolyakAverage.start(0, vector(5, 5));
        average.update(vector(1, 2), 10);
        average.update(vector(3, 4), 20);
        assertEquals(vector(3, 4), average.parameters());
    }

    @Test
    void aParameterThatNeverChangesStaysExactlyWhatItIs() {
        float fixed = 0.1f;
        PolyakAverage average = PolyakAverage.start(DECAY, vector(fixed, 0));
        for (int it = 1; it <= 50; it++) {
            average.update(vector(fixed, it), it * 7L);
        }
        assertEquals(fixed, average.parameters().getFloat(0));
    }

    @Test
    void aResumedAverageContinuesAsIfNeverInterrupted() {
        PolyakAverage straight = PolyakAverage.start(DECAY, vector(0, 0));
        straight.update(vector(1, 2), 4);
        straight.update(vector(2, 0), 8);
        PolyakAverage resumed = PolyakAverage.resume(DECAY, straight.parameters(), 8);
        straight.update(vector(7, -1), 10);
        resumed.update(vector(7, -1), 10);
        assertEquals(straight.parameters(), resumed.parameters());
    }

    @Test
    void anUpdateWithoutNewIterationsChangesNothing() {
        PolyakAverage average = PolyakAverage.start(DECAY, vector(1, 1));
        average.update(vector(9, 9), 0);
        assertEquals(vector(1, 1), average.parameters());
    }
}
