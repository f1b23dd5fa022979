package dev.paddy.experiment;

import dev.paddy.data.ItemImages;
import dev.paddy.data.Split;
import dev.paddy.data.TargetLabels;
import dev.paddy.manifest.MemberSpec;
import dev.paddy.train.TrainingConfig;

/**
 * What a member's training and its lr finder share: its training configuration in plain values,
 * its labels for each target, and its own random train/valid split.
 */
final class MemberRecipe {
    private final StageContext context;

    MemberRecipe(StageContext context) {
        this.context = context;
    }

    /** The resolved member's training configuration. */
    TrainingConfig config(ResolvedMember member) {
        return config(member.spec(), member.accum(), member.lr(), member.seed());
    }

    /** The member's training configuration at {@code accum} and {@code lr}, from {@code seed}. */
    TrainingConfig config(MemberSpec member, int accum, double lr, long seed) {
        var t = member.training();
        return new TrainingConfig(member.name(), member.model(), context.targetsOf(member), t.epochs(), lr, t.lrMult(),
                t.batchSize(), accum, t.schedule(), t.freezeEpochs(), t.optimizer(), t.weightDecay(), t.inputSize(),
                t.normalization(), seed, member.initialWeights().orElse(null));
    }

    /** Every training image's class in each of the member's targets: the folder label's first. */
    int[][] labels(MemberSpec member) {
        return context.targetLabels(member).stream().map(TargetLabels::labels).toArray(int[][]::new);
    }

    /** The member's own random train/valid split from its {@code seed}, without the images that could not be decoded. */
    Split split(ItemImages items, long seed) {
        return Split.random(context.data().train().size(), context.manifest().data().validPct(), seed)
                .without(items.missing());
    }
}
