package dev.paddy.train;

import ai.djl.Device;
import dev.paddy.data.Augmentation;
import dev.paddy.data.BatchLoader;
import dev.paddy.data.ItemImages;
import java.io.IOException;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * fastai's {@code lr_find} on a member: Leslie Smith's range test ({@link LrRangeTest}), as a
 * {@link FitLoop} hook that sets each step's lr and stops the fit, over the
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
     * @param labels {@code labels[t]}: each item's class in target {@code t} of {@code config.targets()}
     * @param stepsDone called after each optimizer step with the number of steps so far
     */
    public Result run(TrainingConfig config, ItemImages items, int[][] labels, int[] train, LrRangeTest test,
                      IntConsumer stepsDone) throws IOException {
        long start = System.nanoTime();
        items.makeResident();
        try (Learner learner = Learner.of(config.model()).classes(config.targets().classes()).inputSize(config.inputSize())
                .optimizer(config.optimizer(), config.weightDecay()).seed(config.seed()).device(device)
                .weights(config.initialWeights()).build();
             BatchLoader loader = new BatchLoader(items, labels, config.inputSize(), Augmentation.fastaiDefaults(),
                     config.normalization(), config.seed(), threads, MemberTrainer.prefetch(config.accum()))) {
            List<TrainingConfig.Phase> phases = config.phases();
            if (config.schedule() == Schedule.FINE_TUNE && phases.get(0).frozen()) {
                learner.freezeBody(true);
            }
            FitHook rangeTest = new FitHook() {
                private int steps;

                @Override
                public void beforeStep(int epoch, int window) {
                    learner.optimizer().set(test.nextLr(), MOMENTUM);
                }

                @Override
                public void afterStep(int epoch, int window, double loss, int seen) {
                    test.record(loss);
                    stepsDone.accept(++steps);
                }

                @Override
                public boolean stopsFit() {
                    return test.state() != LrRangeTest.State.RUNNING;
                }
            };
            new FitLoop(learner, loader, epoch -> Windows.of(EpochSeed.shuffled(train, config.seed(), epoch),
                    config.batchSize(), config.microBatchSize()), List.of(rangeTest)).run(0, Integer.MAX_VALUE);
        }
        return new Result(test.lrs(), test.losses(), test.state(), test.suggestions().all(),
                (System.nanoTime() - start) / 1e9);
    }
}
