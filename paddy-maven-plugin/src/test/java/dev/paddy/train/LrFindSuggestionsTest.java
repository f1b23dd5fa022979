package dev.paddy.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddy.train.LrSuggestions.Method;
import dev.paddy.train.LrSuggestions.Suggestion;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The suggestions' window, degenerate curves and quirks, spelled out (the values are fastai's: see LrFindReferenceTest). */
class LrFindSuggestionsTest {
    private static double[] lrs(int n) {
        LrRangeTest schedule = LrRangeTest.fastai();
        return IntStream.range(10, 10 + n).mapToDouble(schedule::lr).toArray();
    }

    @Test
    void windowDropsTheFirstTenthAndTheLastFive() {
        List<Double> lrs = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        LrRangeTest schedule = LrRangeTest.fastai();
        for (int i = 0; i < 60; i++) {
            lrs.add(schedule.lr(i));
            losses.add(3.0 - i * 0.01);
        }
        LrSuggestions suggestions = LrSuggestions.of(lrs, losses, 100);
        assertEquals(45, suggestions.size());
        assertEquals(schedule.lr(10), suggestions.lrs()[0], 0);
        assertEquals(schedule.lr(54), suggestions.lrs()[44], 0);
        losses.set(30, Double.NaN);
        assertEquals(20, LrSuggestions.of(lrs, losses, 100).size(), "cut before the first NaN");
        losses.set(30, 1.0);
        losses.set(57, Double.NaN);
        assertEquals(45, LrSuggestions.of(lrs, losses, 100).size(), "a NaN among the last five is dropped with them");
    }

    @Test
    void aTooShortCurveSuggestsNothingRatherThanFailing() {
        List<Double> lrs = List.of(1e-7, 2e-7, 3e-7, 4e-7, 5e-7, 6e-7, 7e-7, 8e-7, 9e-7, 1e-6, 2e-6, 3e-6, 4e-6, 5e-6, 6e-6);
        List<Double> losses = Collections.nCopies(15, 1.0);
        LrSuggestions suggestions = LrSuggestions.of(lrs, losses, 100);
        assertEquals(0, suggestions.size(), "15 steps: [10, 10) is empty");
        assertTrue(suggestions.all().isEmpty());
        assertTrue(LrSuggestions.of(List.of(), List.of(), 100).all().isEmpty());
    }

    @Test
    void eachMethodNeedsItsMinimumOfPoints() {
        for (int n = 0; n <= 17; n++) {
            double[] losses = IntStream.range(0, n).mapToDouble(i -> 2.0 - 0.1 * i).toArray();
            LrSuggestions suggestions = LrSuggestions.ofWindow(lrs(n), losses);
            for (Method method : Method.values()) {
                assertEquals(n >= method.minPoints(), suggestions.suggest(method).isPresent(), method + " on " + n + " points");
            }
        }
        assertEquals(16, Method.SLIDE.minPoints());
        assertTrue(LrSuggestions.ofWindow(lrs(6), new double[6]).slide(5, .005, 1).isPresent(), "slide needs lrDiff + 1");
        assertThrows(IllegalArgumentException.class, () -> LrSuggestions.ofWindow(lrs(6), new double[6]).slide(0, .005, 1));
    }

    @Test
    void valleyWrapsToTheHighestLrWhenItsIndexIsMinusOne() {
        double[] lrs = lrs(6);
        Suggestion valley = LrSuggestions.ofWindow(lrs, new double[] {2, 1, 3, 4, 5, 6}).valley().orElseThrow();
        assertEquals(lrs[5], valley.lr(), 0, "fastai's lrs[-1]: the longest decrease is the first pair, start 1 - 2 = -1");
        assertEquals(6, valley.pointLoss(), 0);
    }

    @Test
    void valleyFollowsADecreasingSubsequenceNotARun() {
        double[] lrs = lrs(9);
        // 5 > 4 > 3 > 2 > 1 with rises in between: length 5 ending at 8, start 8 - 5 = 3, sections 5/3
        Suggestion valley = LrSuggestions.ofWindow(lrs, new double[] {5, 9, 4, 9, 3, 9, 2, 9, 1}).valley().orElseThrow();
        assertEquals(lrs[3 + 1 + 0], valley.lr(), 0);
    }

    @Test
    void minimumIsATenthOfTheFirstLowestAndMarksTheMinimumItself() {
        double[] lrs = lrs(5);
        Suggestion minimum = LrSuggestions.ofWindow(lrs, new double[] {3, 1, 2, 1, 4}).minimum().orElseThrow();
        assertEquals(lrs[1] / 10, minimum.lr(), 0);
        assertEquals(lrs[1], minimum.pointLr(), 0);
        assertEquals(1, minimum.pointLoss(), 0);
    }

    @Test
    void steepIsTheLeftPointOfTheSteepestPair() {
        double[] lrs = lrs(5);
        Suggestion steep = LrSuggestions.ofWindow(lrs, new double[] {3, 2.9, 1, 0.9, 0.8}).steep().orElseThrow();
        assertEquals(lrs[1], steep.lr(), 0);
        assertEquals(2.9, steep.pointLoss(), 0);
    }

    @Test
    void rejectsWindowsItCannotReadAsARangeTest() {
        assertThrows(IllegalArgumentException.class, () -> LrSuggestions.ofWindow(new double[] {1e-3, 1e-4}, new double[2]));
        assertThrows(IllegalArgumentException.class, () -> LrSuggestions.ofWindow(new double[] {0, 1e-4}, new double[2]));
        assertThrows(IllegalArgumentException.class, () -> LrSuggestions.ofWindow(lrs(3), new double[2]));
    }

    @Test
    void numpyGradientAndInterpAsNumpy() {
        assertArrayEquals(new double[] {1, 1.5, 2.5, 3.5, 4}, PyNumerics.gradient(new double[] {1, 2, 4, 7, 11}), 0);
        assertThrows(IllegalArgumentException.class, () -> PyNumerics.gradient(new double[] {1}));
        double[] xp = {0, 1, 2};
        double[] fp = {10, 20, 40};
        assertEquals(10, PyNumerics.interp(-1, xp, fp), 0, "clamped left");
        assertEquals(40, PyNumerics.interp(3, xp, fp), 0, "clamped right");
        assertEquals(20, PyNumerics.interp(1, xp, fp), 0, "a knot is its value");
        assertEquals(30, PyNumerics.interp(1.5, xp, fp), 0);
        assertEquals(40, PyNumerics.interp(2, xp, fp), 0);
        assertEquals(1, PyNumerics.torchArgmin(new double[] {3, 1, 2, 1}), "first of the ties");
        assertEquals(2, PyNumerics.torchArgmin(new double[] {3, 1, Double.NaN, 0}), "NaN wins, as in torch");
    }
}
