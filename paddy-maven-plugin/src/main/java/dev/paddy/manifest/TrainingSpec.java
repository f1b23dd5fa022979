package dev.paddy.manifest;

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

    public enum Schedule {
        /** fastai's fit_one_cycle: warm up to lr over 25% of the steps, cosine down, momentum cycled. */
        ONE_CYCLE,
        /** fastai's fine_tune: one-cycle with the body frozen for freeze_epochs, then all layers. */
        FINE_TUNE
    }

    public enum OptimizerKind {
        /** Adam with decoupled weight decay, fastai's defaults (betas 0.9/0.99, eps 1e-5). */
        ADAMW,
        /** SGD with momentum 0.9, cycled like fastai. */
        SGD
    }
}
