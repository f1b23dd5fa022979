package dev.paddy.manifest;

import dev.paddy.data.ItemTransform;
import dev.paddy.data.Normalization;
import dev.paddy.engine.Numerics;
import dev.paddy.train.OptimizerKind;
import dev.paddy.train.Schedule;
import java.util.List;

/**
 * The training settings of one member after its overrides are applied to the manifest's
 * defaults. {@code batchSize} is the effective batch: each optimizer step sees that many images,
 * in {@code accum} micro-batches.
 *
 * @param lr the peak learning rate; with {@code lrFind}, a placeholder until the lr finder's
 *     valley suggestion replaces it ({@link MemberSpec#withLr})
 * @param lrFind the manifest says {@code lr: find}
 * @param lrMult fine_tune's ratio between the head's and the first group's learning rate
 * @param targets what the model predicts: {@code label} (the folder label) first, then columns of
 *     {@code data.labels}; one head with a slice of outputs per target
 * @param numerics the numeric paths its worker may take: this machine's best, or pinned to be the
 *     same on every x86-64 runner ({@code numerics: portable})
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
        SeedPolicy seed,
        List<String> targets,
        Numerics numerics) {

    /** The folder label, the only target unless a member names more. */
    public static final String LABEL = "label";

    public TrainingSpec {
        targets = List.copyOf(targets);
    }

    /** The targets after the folder label: columns of {@code data.labels}. */
    public List<String> moreTargets() {
        return targets.subList(1, targets.size());
    }

    /** These settings at a known learning rate. */
    public TrainingSpec withLr(double resolved) {
        return new TrainingSpec(epochs, resolved, lrFind, lrMult, batchSize, schedule, freezeEpochs, optimizer, weightDecay,
                item, inputSize, normalization, seed, targets, numerics);
    }
}
