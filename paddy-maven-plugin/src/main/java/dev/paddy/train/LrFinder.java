package dev.paddy.train;

import ai.djl.Device;
import dev.paddy.data.Augmentation;
import dev.paddy.data.BatchLoader;
import dev.paddy.data.BatchLoader.Batch;
import dev.paddy.data.ItemImages;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * fastai's {@code lr_find} on a member: Leslie Smith's range test ({@link LrRangeTest}) over the
 * member's training split, with its augmentation, batch and accumulation (one recorded loss per
 * optimizer step: the window's mean), from the weights its training starts from and in the state
 * it starts in (a {@code fine_tune} member's body frozen).
 *
 * <p>The trial runs on a model of its own, built from the member's seed and initial weights and
 * thrown away afterwards: training builds its model again from the same seed, so nothing of the
 * trial leaks into it (fastai saves and reloads the weights to the same end).
 */
public final class LrFinder {
    /** Adam's beta1 during the test: fastai's lr_find leaves the optimizer's default momentum. */
    static final double MOMENTUM = 0.9;

    private final int threads;
    private final Device device;

    public LrFinder(int threads, Device device) {
        this.threads = threads;
        this.device = device;
    }

    /** The curve, the state it ended in, fastai's suggestions on it, and the time it took. */
    public record Result(List<Double> lrs, List<Double> losses, LrRangeTest.State state,
                         List<LrSuggestions.Suggestion> suggestions, double seconds) {}

    /**
     * Runs the test on {@code train} (indices into {@code items}).
     *
     * @param stepsDone called after each optimizer step with the number of steps so far
     */
    public Result run(TrainingConfig config, ItemImages items, int[] labels, int[] train, LrRangeTest test,
                      IntConsumer stepsDone) {
        return run(config, items, new int[][] {labels}, train, test, stepsDone);
    }

    /** As above for a model of several targets: {@code labels[t]} are target {@code t}'s, the first's first. */
    public Result run(TrainingConfig config, ItemImages items, int[][] labels, int[] train, LrRangeTest test,
                      IntConsumer stepsDone) {
        long start = System.nanoTime();
        items.makeResident();
        try (Learner learner = new Learner(config.model(), config.targetClasses(), config.inputSize(),
                config.optimizer(), config.weightDecay(), config.seed(), device, config.initialWeights());
             BatchLoader loader = BatchLoader.withTargets(items, labels, config.inputSize(), Augmentation.fastaiDefaults(),
                     config.normalization(), config.seed(), threads, MemberTrainer.prefetch(config.accum()))) {
            List<TrainingConfig.Phase> phases = config.phases();
            if (config.schedule() == Schedule.FINE_TUNE && phases.get(0).frozen()) {
                learner.freezeBody(true);
            }
            int step = 0;
            for (int epoch = 0; test.state() == LrRangeTest.State.RUNNING; epoch++) {
                Windows windows = Windows.of(MemberTrainer.shuffled(train, config.seed(), epoch), config.batchSize(),
                        config.microBatchSize());
                Iterator<Batch> batches = loader.batches(windows.microBatches(), epoch);
                for (int w = 0; w < windows.windowSizes().size() && test.state() == LrRangeTest.State.RUNNING; w++) {
                    List<Batch> micro = new ArrayList<>();
                    for (int m = 0; m < windows.microBatchesPerWindow().get(w); m++) {
                        micro.add(batches.next());
                    }
                    learner.optimizer().set(test.nextLr(), MOMENTUM);
                    test.record(learner.accumulateAndStep(micro, windows.windowSizes().get(w)));
                    stepsDone.accept(++step);
                }
            }
        }
        return new Result(test.lrs(), test.losses(), test.state(), test.suggestions().all(),
                (System.nanoTime() - start) / 1e9);
    }
}
