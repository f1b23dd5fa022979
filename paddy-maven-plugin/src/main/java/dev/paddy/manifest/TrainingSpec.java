package dev.paddy.manifest;

import dev.paddy.data.ItemTransform;
import dev.paddy.data.Normalization;
import dev.paddy.train.OptimizerKind;
import dev.paddy.train.Schedule;

/**
 * The training settings of one member after its overrides are applied to the manifest's
 * defaults. {@code batchSize} is the effective batch: each optimizer step sees that many images,
 * in {@code accum} micro-batches.
 *
 * @param lr the peak learning rate; with {@code lrFind}, a placeholder until the lr finder's
 *     valley suggestion replaces it ({@link MemberSpec#withLr})
 * @param lrFind the manifest says {@code lr: find}
 * @param lrMult fine_tune's ratio between the head's and the first group's learning rate
 */
public record TrainingSpec(
        int epochs,
        double lr,
        boolean lrFind,
        double lrMult,
        int batchSize,
        Schedule schedule,
        int freezeEpochs,
        OptimizerKind optimizer,
        double weightDecay,
        ItemTransform item,
        int inputSize,
        Normalization normalization,
        SeedPolicy seed) {

    /** These settings at a known learning rate. */
    public TrainingSpec withLr(double resolved) {
        return new TrainingSpec(epochs, resolved, lrFind, lrMult, batchSize, schedule, freezeEpochs, optimizer, weightDecay,
                item, inputSize, normalization, seed);
    }
}
