package dev.paddy.train;

import java.io.IOException;

/**
 * What a {@link FitLoop} does besides stepping, at the points where fastai's {@code Learner}
 * calls its callbacks and DJL's {@code EasyTrain.fit} its {@code TrainingListener}s: the schedule,
 * the lr range test (and its cancel), per-epoch reseeding, validation, checkpoints and progress
 * are hooks. Hooks run in the order they were given, at each point.
 */
public interface FitHook {
    /** Before epoch {@code epoch} (0-based) draws its windows. */
    default void beforeEpoch(int epoch) {}

    /** Before window {@code window} of epoch {@code epoch} is stepped: set the learning rates here. */
    default void beforeStep(int epoch, int window) {}

    /**
     * After the window's optimizer step.
     *
     * @param loss the window's mean loss
     * @param seen the images stepped on so far in this epoch
     */
    default void afterStep(int epoch, int window, double loss, int seen) {}

    /**
     * After the epoch's last window (not after an epoch the fit was stopped in).
     *
     * @param trainLoss the epoch's mean training loss (windows weighted by their sizes)
     * @param seen the images the epoch stepped on
     */
    default void afterEpoch(int epoch, double trainLoss, int seen) throws IOException {}

    /** Whether the fit stops before its next window (fastai's {@code CancelFitException}). */
    default boolean stopsFit() {
        return false;
    }
}
