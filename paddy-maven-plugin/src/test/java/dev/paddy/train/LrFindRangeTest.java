package dev.paddy.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddy.train.LrRangeTest.State;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The range test's schedule, smoothing and stop rule on hand-made losses. */
class LrFindRangeTest {
    @Test
    void scheduleRunsFromStartTowardsEndButStopsOneStepShort() {
        LrRangeTest test = LrRangeTest.fastai();
        assertEquals(1e-7, test.lr(0), 0, "starts exactly at start_lr");
        assertEquals(10, test.lr(100), 1e-14, "lr(numIt) is end_lr ...");
        assertEquals(1e-3, test.lr(50), 1e-18, "geometric: halfway in steps is halfway in log lr");
        int steps = 0;
        while (test.record(1.0)) {
            steps++;
        }
        assertEquals(100, steps + 1, "... but a flat loss stops after numIt steps, i = 0..99");
        assertEquals(State.COMPLETED, test.state());
        assertEquals(100, test.lrs().size());
        assertEquals(test.lr(99), test.lrs().get(99), 0);
        assertEquals(8.317637711026709, test.lrs().get(99), 1e-12, "the last lr taken is 1e-7 * 1e8^0.99");
        assertThrows(IllegalStateException.class, test::nextLr);
        assertThrows(IllegalStateException.class, () -> test.record(1.0));
    }

    @Test
    void nextLrFollowsTheRecordedSteps() {
        LrRangeTest test = LrRangeTest.fastai();
        for (int i = 0; i < 10; i++) {
            assertEquals(test.lr(i), test.nextLr(), 0);
            test.record(2.0);
        }
        assertEquals(test.lr(10), test.nextLr(), 0);
    }

    @Test
    void fewerThanSixStepsBecomeSix() {
        LrRangeTest test = new LrRangeTest(1e-7, 10, 3);
        assertEquals(6, test.numIt());
        int steps = 1;
        while (test.record(1.0)) {
            steps++;
        }
        assertEquals(6, steps);
        assertEquals(1e-7 * Math.pow(1e8, 5 / 6.0), test.lrs().get(5), 1e-20);
    }

    @Test
    void theDivergingStepIsRecordedAndStopsTheTest() {
        LrRangeTest test = LrRangeTest.fastai();
        assertTrue(test.record(1.0));
        assertTrue(test.record(1.0));
        // (0.02 * 0.98 * 1.02 + 0.02 * 1000) / (1 - 0.98^3) = 340.7... > 4 * 1.0
        assertFalse(test.record(1000.0));
        assertEquals(State.DIVERGED, test.state());
        assertEquals(3, test.losses().size(), "the diverging point is the curve's last");
        assertEquals(3, test.lrs().size());
        assertEquals(340.7, test.losses().get(2), 0.1);
    }

    @Test
    void divergenceOnTheLastStepIsReportedAsDivergence() {
        LrRangeTest test = new LrRangeTest(1e-7, 10, 6);
        for (int i = 0; i < 5; i++) {
            assertTrue(test.record(1.0));
        }
        assertFalse(test.record(1e6));
        assertEquals(State.DIVERGED, test.state(), "fastai checks 4x best before the step count");
    }

    @Test
    void stopsAboveFourTimesTheBestNotAtIt() {
        double beta = SmoothLoss.FASTAI_BETA;
        // the raw loss that puts the second smoothed value at 4x the first (the best)
        double raw = (4 * (1 - beta * beta) - beta * 0.02) / 0.02;
        LrRangeTest under = LrRangeTest.fastai();
        under.record(1.0);
        assertTrue(under.record(raw * (1 - 1e-9)));
        LrRangeTest over = LrRangeTest.fastai();
        over.record(1.0);
        assertFalse(over.record(raw * (1 + 1e-9)));
        assertEquals(4 * over.losses().get(0), over.losses().get(1), 1e-6);
    }

    @Test
    void nanNeverStopsTheTestAndStaysInTheCurve() {
        LrRangeTest test = new LrRangeTest(1e-7, 10, 40);
        int steps = 1;
        while (test.record(steps <= 20 ? 1.0 : Double.NaN)) {
            steps++;
        }
        assertEquals(40, steps, "no comparison with NaN is true: only the step count stops it");
        assertEquals(State.COMPLETED, test.state());
        assertTrue(test.losses().subList(20, 40).stream().allMatch(v -> v.isNaN()), "NaN is sticky");
        assertEquals(16, test.suggestions().size(), "the window [4, 35) is cut before its first NaN, at 20");
    }

    @Test
    void aNegativeSmoothedLossStopsAtOnce() {
        LrRangeTest test = LrRangeTest.fastai();
        assertFalse(test.record(-0.5), "4x a negative best is below it");
        assertEquals(State.DIVERGED, test.state());
    }

    @Test
    void smoothLossIsFastaisDebiasedAverage() {
        SmoothLoss smooth = new SmoothLoss(0.98);
        assertTrue(Double.isNaN(smooth.value()), "0/0 before the first loss, as fastai");
        assertEquals(3.0, smooth.add(3.0), 1e-15, "debiasing makes the first value the loss itself");
        double expected = (0.98 * 0.02 * 3.0 + 0.02 * 5.0) / (1 - 0.98 * 0.98);
        assertEquals(expected, smooth.add(5.0), 1e-14);
        assertEquals(2, smooth.count());
        assertTrue(IntStream.range(0, 300).mapToDouble(i -> smooth.add(7.0)).skip(299).allMatch(v -> Math.abs(v - 7.0) < 1e-2));
        assertThrows(IllegalArgumentException.class, () -> new SmoothLoss(1.0));
    }

    @Test
    void rejectsARangeThatDoesNotGoUp() {
        assertThrows(IllegalArgumentException.class, () -> new LrRangeTest(10, 1e-7, 100));
        assertThrows(IllegalArgumentException.class, () -> new LrRangeTest(0, 10, 100));
        assertThrows(IllegalArgumentException.class, () -> new LrRangeTest(1e-7, Double.POSITIVE_INFINITY, 100));
    }
}
