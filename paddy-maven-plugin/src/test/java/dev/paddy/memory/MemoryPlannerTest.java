package dev.paddy.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;


import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryPlannerTest {
    @Test
    void candidatesDoubleWhileTheyDivideAndEndAtAMicroBatchOfOne() {
        assertEquals(List.of(1, 2, 4, 8, 16, 32, 64), MemoryPlanner.candidates(64));
        assertEquals(List.of(1, 2, 4, 8, 16, 48), MemoryPlanner.candidates(48));
        assertEquals(List.of(1), MemoryPlanner.candidates(1));
    }

    @Test
    void budgetsParseBinaryAndDecimalUnitsAndKeepTheMargin() {
        assertEquals(16280L << 20, MemoryBudget.parseBytes("16280MiB"));
        assertEquals(14L << 30, MemoryBudget.parseBytes("14GiB"));
        assertEquals(15_500_000_000L, MemoryBudget.parseBytes("15.5GB"));
        assertEquals(1024L, MemoryBudget.parseBytes("1024"));
        assertEquals(null, MemoryBudget.parseBytes("lots"));
        assertEquals((long) ((1000L << 20) * 0.95), new MemoryBudget(1000L << 20, 0.05).limit());
    }

    @Test
    void aMemberThatFitsNowhereIsToldHowFarOver() {
        MemoryBudget budget = new MemoryBudget(100L << 20, 0.0);
        MemoryPlan.Entry entry = new MemoryPlan.Entry("k", "cpu()", budget.bytes(), 0, 0, List.of(
                new MemoryPlan.Trial(1, 2, 300, false, "over the limit", 1),
                new MemoryPlan.Trial(2, 1, 150, false, "over the limit", 1)));
        assertEquals("member 'big' does not fit the memory budget of 100 MiB - 0% margin at any accumulation factor:"
                + " its peak at accum 2 (micro-batch 1) is 150 MiB, 50 MiB (50%) over the limit of 100 MiB. Use a"
                + " smaller input_size or architecture, or a larger budget", MemoryPlanner.doesNotFit("big", entry, budget));
    }
}
