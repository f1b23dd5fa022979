package dev.paddy.manifest;

import dev.paddy.data.ItemTransform;
import dev.paddy.train.OptimizerKind;
import dev.paddy.train.Schedule;

/**
 * The training settings of one member after its overrides are applied to the manifest's
 * defaults. {@code batchSize} is the effective batch: each optimizer step sees that many images,
 * in {@code accum} micro-batches.
 */
public record TrainingSpec(
        int epochs,
        double lr,
        int batchSize,
        Schedule schedule,
        int freezeEpochs,
        OptimizerKind optimizer,
        double weightDecay,
        ItemTransform item,
        int inputSize,
        SeedPolicy seed) {
}
