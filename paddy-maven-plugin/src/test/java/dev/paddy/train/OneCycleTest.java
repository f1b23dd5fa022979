package dev.paddy.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class OneCycleTest {
    @Test
    void followsFastaiDefaults() {
        OneCycle cycle = OneCycle.fastai(0.01, 200);
        assertEquals(0.01 / 25, cycle.lr(0), 1e-12, "starts at lr_max / div");
        assertEquals(0.01, cycle.lr(50), 1e-12, "peaks after pct_start = 25% of the steps");
        assertEquals((0.01 / 25 + 0.01) / 2, cycle.lr(25), 1e-12, "cosine warm-up: halfway is the mean");
        assertEquals((0.01 + 0.01 / 1e5) / 2, cycle.lr(125), 1e-12, "cosine annealing: halfway is the mean");
        assertEquals(0.01 / 1e5, cycle.lr(200), 1e-12, "ends at lr_max / div_final");
        assertEquals(0.95, cycle.momentum(0), 1e-12);
        assertEquals(0.90, cycle.momentum(25), 1e-12);
        assertEquals(0.85, cycle.momentum(50), 1e-12);
        assertEquals(0.95, cycle.momentum(200), 1e-12);
    }
}
