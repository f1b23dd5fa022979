package dev.paddy.ensemble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class WeightedMeanTest {
    @Test
    void aWeightOfTwoCountsAMemberTwice() {
        float[][] a = {{0.9f, 0.1f, 0.0f}, {0.2f, 0.3f, 0.5f}};
        float[][] b = {{0.3f, 0.6f, 0.1f}, {0.5f, 0.4f, 0.1f}};
        float[][] mean = WeightedMean.combine(List.of(a, b), List.of(1.0, 2.0));
        // (1*a + 2*b) / 3
        assertArrayEquals(new float[] {0.5f, 1.3f / 3, 0.2f / 3}, mean[0], 1e-6f);
        assertArrayEquals(new float[] {0.4f, 1.1f / 3, 0.7f / 3}, mean[1], 1e-6f);
        assertArrayEquals(WeightedMean.combine(List.of(a, b, b), List.of(1.0, 1.0, 1.0))[1], mean[1], 1e-6f);
    }

    @Test
    void argmaxTakesTheFirstOnTies() {
        assertEquals(1, WeightedMean.argmax(new float[] {0.1f, 0.45f, 0.45f}));
    }
}
