package dev.paddy.train;

/** One epoch's figures, as logged, checkpointed and recorded in {@code training.json}. */
public record EpochMetrics(int epoch, String phase, double trainLoss, double validLoss, double errorRate,
                           double imagesPerSecond, double seconds) {}
