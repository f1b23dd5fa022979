package dev.paddy.train;

/**
 * fastai's one-cycle policy over {@code totalSteps} optimizer steps: the learning rate rises from
 * lrMax/div to lrMax over the first pctStart of the steps and falls to lrMax/divFinal, both with
 * cosine annealing; momentum moves the opposite way, 0.95 -> 0.85 -> 0.95.
 */
public record OneCycle(double lrMax, int totalSteps, double pctStart, double div, double divFinal,
                       double momHigh, double momLow) {

    public static OneCycle fastai(double lrMax, int totalSteps) {
        return new OneCycle(lrMax, totalSteps, 0.25, 25, 1e5, 0.95, 0.85);
    }

    public OneCycle withPctStart(double pct) {
        return new OneCycle(lrMax, totalSteps, pct, div, divFinal, momHigh, momLow);
    }

    public OneCycle withDiv(double newDiv) {
        return new OneCycle(lrMax, totalSteps, pctStart, newDiv, divFinal, momHigh, momLow);
    }

    /** The learning rate for step {@code step} (0-based). */
    public double lr(int step) {
        double warm = warmupSteps();
        if (step < warm) {
            return cosine(lrMax / div, lrMax, step / warm);
        }
        return cosine(lrMax, lrMax / divFinal, (step - warm) / Math.max(1, totalSteps - warm));
    }

    /** The momentum (Adam's beta1) for step {@code step}. */
    public double momentum(int step) {
        double warm = warmupSteps();
        if (step < warm) {
            return cosine(momHigh, momLow, step / warm);
        }
        return cosine(momLow, momHigh, (step - warm) / Math.max(1, totalSteps - warm));
    }

    private double warmupSteps() {
        return Math.max(1e-9, totalSteps * pctStart);
    }

    private static double cosine(double start, double end, double pct) {
        double p = Math.min(1, Math.max(0, pct));
        return end + (start - end) / 2 * (Math.cos(Math.PI * p) + 1);
    }
}
