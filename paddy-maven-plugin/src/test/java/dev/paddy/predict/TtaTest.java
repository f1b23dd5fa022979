package dev.paddy.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

class TtaTest {
    @Test
    void blendsMeanOfAugmentedPassesWithThePlainPass() {
        float[][] plain = {{0.2f, 0.8f}};
        List<float[][]> augmented = List.of(new float[][] {{0.6f, 0.4f}}, new float[][] {{1.0f, 0.0f}});
        // mean(aug) = (0.8, 0.2); 0.75 * (0.8, 0.2) + 0.25 * (0.2, 0.8) = (0.65, 0.35)
        assertArrayEquals(new float[] {0.65f, 0.35f}, Tta.combine(plain, augmented, 0.25)[0], 1e-6f);
        assertArrayEquals(new float[] {0.2f, 0.8f}, Tta.combine(plain, augmented, 1.0)[0], 1e-6f);
        assertSame(plain, Tta.combine(plain, List.of(), 0.25));
    }
}
