package dev.paddy.train;

import java.util.Map;

/**
 * One epoch's figures, as logged, checkpointed and recorded in {@code training.json}.
 * {@code errorRate} is the first target's; {@code moreErrorRates} the other targets' by name, in
 * order (null for a single target, and in records an earlier paddy wrote).
 */
public record EpochMetrics(int epoch, String phase, double trainLoss, double validLoss, double errorRate,
                           double imagesPerSecond, double seconds, Map<String, Double> moreErrorRates) {

    /** The figures of a single target. */
    public EpochMetrics(int epoch, String phase, double trainLoss, double validLoss, double errorRate,
                        double imagesPerSecond, double seconds) {
        this(epoch, phase, trainLoss, validLoss, errorRate, imagesPerSecond, seconds, null);
    }
}
