package dev.paddy.train;

import java.util.List;

/**
 * Tells a {@link TrainingListener} where a member's training stands: within a long epoch at most
 * every {@link Throttle#PROGRESS}, and each epoch's metrics with the time still to go.
 */
final class ProgressLog implements FitHook {
    private final TrainingListener listener;
    private final String member;
    private final int totalEpochs;
    private final int firstEpochRun;
    private final int trainImages;
    private final List<EpochMetrics> history;
    private final Throttle throttle = new Throttle(Throttle.PROGRESS);
    private final long start = System.nanoTime();
    private long epochStart;

    ProgressLog(TrainingListener listener, String member, int totalEpochs, int firstEpochRun, int trainImages,
                List<EpochMetrics> history) {
        this.listener = listener;
        this.member = member;
        this.totalEpochs = totalEpochs;
        this.firstEpochRun = firstEpochRun;
        this.trainImages = trainImages;
        this.history = history;
    }

    @Override
    public void beforeEpoch(int epoch) {
        epochStart = System.nanoTime();
        throttle.restart();
    }

    @Override
    public void afterStep(int epoch, int window, double loss, int seen) {
        if (throttle.due()) {
            listener.onProgress(member, epoch + 1, totalEpochs, seen, trainImages,
                    seen / ((System.nanoTime() - epochStart) / 1e9));
        }
    }

    @Override
    public void afterEpoch(int epoch, double trainLoss, int seen) {
        double elapsed = (System.nanoTime() - start) / 1e9;
        double eta = elapsed / (epoch + 1 - firstEpochRun) * (totalEpochs - epoch - 1);
        listener.onEpoch(new TrainingListener.EpochReport(member, epoch + 1, totalEpochs,
                history.get(history.size() - 1), eta));
    }
}
