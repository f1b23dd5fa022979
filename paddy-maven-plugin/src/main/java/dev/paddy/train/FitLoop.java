package dev.paddy.train;

import dev.paddy.data.BatchLoader;
import dev.paddy.data.BatchLoader.Batch;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.IntFunction;

/**
 * paddy's one training loop: epochs, then each epoch's windows (its effective batches), then each
 * window's micro-batches accumulated into one optimizer step ({@link Learner#accumulateAndStep}).
 * Training a member, the lr finder and the memory probe all run it; what differs between them is
 * in their {@link FitHook}s.
 */
public final class FitLoop {
    private final Learner learner;
    private final BatchLoader loader;
    private final IntFunction<Windows> windowsOf;
    private final List<FitHook> hooks;

    /**
     * @param windowsOf an epoch's windows (its data order cut into windows and micro-batches)
     * @param hooks what runs at each point of the loop, in this order
     */
    public FitLoop(Learner learner, BatchLoader loader, IntFunction<Windows> windowsOf, List<FitHook> hooks) {
        this.learner = learner;
        this.loader = loader;
        this.windowsOf = windowsOf;
        this.hooks = List.copyOf(hooks);
    }

    /** Runs epochs {@code from} (0-based) up to {@code to} (exclusive), or until a hook stops the fit. */
    public void run(int from, int to) throws IOException {
        for (int epoch = from; epoch < to && !stopped(); epoch++) {
            for (FitHook hook : hooks) {
                hook.beforeEpoch(epoch);
            }
            Windows windows = windowsOf.apply(epoch);
            Iterator<Batch> batches = loader.batches(windows.microBatches(), epoch);
            double lossSum = 0;
            int seen = 0;
            for (int w = 0; w < windows.windowSizes().size(); w++) {
                if (stopped()) {
                    return;
                }
                List<Batch> micro = new ArrayList<>();
                for (int m = 0; m < windows.microBatchesPerWindow().get(w); m++) {
                    micro.add(batches.next());
                }
                for (FitHook hook : hooks) {
                    hook.beforeStep(epoch, w);
                }
                int windowSize = windows.windowSizes().get(w);
                double loss = learner.accumulateAndStep(micro, windowSize);
                lossSum += loss * windowSize;
                seen += windowSize;
                for (FitHook hook : hooks) {
                    hook.afterStep(epoch, w, loss, seen);
                }
            }
            for (FitHook hook : hooks) {
                hook.afterEpoch(epoch, lossSum / Math.max(1, seen), seen);
            }
        }
    }

    private boolean stopped() {
        return hooks.stream().anyMatch(FitHook::stopsFit);
    }
}
