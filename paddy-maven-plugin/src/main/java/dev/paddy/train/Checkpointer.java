package dev.paddy.train;

import java.io.IOException;
import java.util.List;

/** Writes a checkpoint (model, optimizer state, history) at each epoch's end, after validation. */
final class Checkpointer implements FitHook {
    private final Checkpoints checkpoints;
    private final Learner learner;
    private final List<EpochMetrics> history;
    private final double secondsBefore;
    private final long start = System.nanoTime();

    /** @param secondsBefore the training time of the epochs a resumed training starts after */
    Checkpointer(Checkpoints checkpoints, Learner learner, List<EpochMetrics> history, double secondsBefore) {
        this.checkpoints = checkpoints;
        this.learner = learner;
        this.history = history;
        this.secondsBefore = secondsBefore;
    }

    @Override
    public void afterEpoch(int epoch, double trainLoss, int seen) throws IOException {
        checkpoints.save(learner, epoch + 1, secondsBefore + (System.nanoTime() - start) / 1e9, history);
    }
}
