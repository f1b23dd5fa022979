package dev.paddy.train;

import java.util.List;

/**
 * One one-cycle policy per parameter group, stepped together: fastai schedules each group's
 * learning rate from its own peak, and one momentum for all.
 */
public record GroupCycles(List<OneCycle> groups) {

    /** The same policy for {@code count} groups. */
    public static GroupCycles same(OneCycle cycle, int count) {
        return new GroupCycles(java.util.Collections.nCopies(count, cycle));
    }

    /** Each group's learning rate at step {@code step} (0-based within the phase). */
    public double[] lrs(int step) {
        double[] lrs = new double[groups.size()];
        for (int g = 0; g < lrs.length; g++) {
            lrs[g] = groups.get(g).lr(step);
        }
        return lrs;
    }

    public double momentum(int step) {
        return groups.get(0).momentum(step);
    }
}
