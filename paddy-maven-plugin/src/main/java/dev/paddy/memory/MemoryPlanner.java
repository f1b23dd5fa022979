package dev.paddy.memory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Finds, for one member, the smallest gradient-accumulation factor whose peak memory fits the
 * budget (less its margin): accum = 1, 2, 4, ... while it divides the batch, ending at a
 * micro-batch of 1; each factor is probed in its own child JVM.
 */
public final class MemoryPlanner {
    private final ProbeRunner runner;
    private final Consumer<String> log;

    public MemoryPlanner(ProbeRunner runner, Consumer<String> log) {
        this.runner = runner;
        this.log = log;
    }

    /** 1, 2, 4, ... while the factor divides the batch, then the batch itself (micro-batch of 1). */
    public static List<Integer> candidates(int batchSize) {
        List<Integer> factors = new ArrayList<>();
        for (int accum = 1; accum <= batchSize && batchSize % accum == 0; accum *= 2) {
            factors.add(accum);
        }
        if (factors.get(factors.size() - 1) != batchSize) {
            factors.add(batchSize);
        }
        return factors;
    }

    /**
     * Probes {@code base} (whose accum is ignored) at increasing factors until one fits; with
     * {@code reuse}, a factor already measured under the same conditions ({@link ProbeRunner#measured})
     * is taken from its earlier probe.
     *
     * @return the entry; {@code accum} 0 when nothing fits
     */
    public MemoryPlan.Entry plan(String member, ProbeRequest base, MemoryBudget budget, String key, boolean reuse)
            throws IOException {
        List<MemoryPlan.Trial> trials = new ArrayList<>();
        String device = "";
        for (int accum : candidates(base.batchSize())) {
            ProbeRequest request = new ProbeRequest(base.model(), base.classes(), base.itemResize(), base.itemSize(),
                    base.inputSize(), base.optimizer(), base.weightDecay(), base.batchSize(), accum, base.steps(), base.images());
            Optional<ProbeResult> measured = reuse ? runner.measured(member, request) : Optional.empty();
            ProbeResult result = measured.isPresent() ? measured.get() : runner.probe(member, request);
            boolean fits = result.fits(budget.limit());
            if (result.completed()) {
                device = result.device();
            }
            MemoryPlan.Trial trial = new MemoryPlan.Trial(accum, request.microBatchSize(),
                    result.completed() ? result.peakBytes() / (double) (1 << 20) : -1, fits,
                    result.completed() ? (fits ? "" : "over the limit") : result.reason(), result.seconds());
            trials.add(trial);
            log.accept(String.format(Locale.ROOT, "%-20s accum %3d (micro-batch %3d): %s  %s  %.1f s", member, accum,
                    request.microBatchSize(), result.completed() ? String.format(Locale.ROOT, "peak %8.1f MiB", trial.peakMiB())
                            : "does not fit: " + result.reason(), fits ? "fits" : "", result.seconds())
                    + (measured.isPresent() ? " (measured before)" : ""));
            if (fits) {
                return new MemoryPlan.Entry(key, device, budget.bytes(), budget.margin(), accum, trials);
            }
        }
        return new MemoryPlan.Entry(key, device, budget.bytes(), budget.margin(), 0, trials);
    }

    /** Why a member that fits nowhere does not fit, with how far over the budget it is. */
    public static String doesNotFit(String member, MemoryPlan.Entry entry, MemoryBudget budget) {
        MemoryPlan.Trial last = entry.trials().get(entry.trials().size() - 1);
        String over = last.peakMiB() >= 0
                ? String.format(Locale.ROOT, "its peak at accum %d (micro-batch %d) is %.0f MiB, %.0f MiB (%.0f%%) over the"
                        + " limit of %s", last.accum(), last.microBatch(), last.peakMiB(),
                        last.peakMiB() - budget.limit() / (double) (1 << 20),
                        100 * (last.peakMiB() * (1 << 20) / budget.limit() - 1), MemoryBudget.format(budget.limit()))
                : "even accum " + last.accum() + " (micro-batch " + last.microBatch() + ") failed: " + last.reason();
        return "member '" + member + "' does not fit the memory budget of " + budget + " at any accumulation factor: "
                + over + ". Use a smaller input_size or architecture, or a larger budget";
    }
}
