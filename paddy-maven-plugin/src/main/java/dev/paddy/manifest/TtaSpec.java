package dev.paddy.manifest;

/**
 * Test-time augmentation: probabilities = (1 - beta) x mean of n augmented passes + beta x the
 * plain pass (fastai's tta: n=4, beta=0.25). n = 0 means the plain pass only.
 */
public record TtaSpec(int n, double beta) {}
