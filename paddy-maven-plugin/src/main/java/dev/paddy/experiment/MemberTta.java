package dev.paddy.experiment;

import dev.paddy.data.ItemImages;
import dev.paddy.engine.Engines;
import dev.paddy.predict.MemberPredictor;
import java.util.Locale;

/**
 * One trained member's test-time augmentation over decoded images, as {@code paddy:tta} runs it
 * for the test set and {@code paddy:predict} for a folder: the member's weights, classes, input
 * size, normalisation, seed, micro-batch and the manifest's {@code tta.n} and {@code tta.beta}.
 * Its weights must be on disk ({@link TrainedModels#whyTrain}); running out of memory is said as
 * the member's failure ({@link MemberOutOfMemory}).
 */
final class MemberTta {
    private final StageContext context;
    private MemberPredictor predictor;

    MemberTta(StageContext context) {
        this.context = context;
    }

    /**
     * Every target's probabilities [target][image][class], the folder label's first, for
     * {@code items} in order; {@code what} names them in the log and in failures ("test images").
     */
    float[][][] predict(ResolvedMember member, ItemImages items, String what)
            throws ExperimentException {
        if (predictor == null) {
            predictor = new MemberPredictor(context.threads(), Engines.device());
        }
        var tta = context.manifest().tta();
        long start = System.nanoTime();
        int passes = tta.n() + 1;
        long[] lastReport = {start};
        float[][][] probabilities;
        try {
            probabilities = predictor.predict(new MemberPredictor.Request(member.model(),
                    context.targetsOf(member.spec()).classes(), member.training().inputSize(),
                    member.training().normalization(), context.layout().model(member.name()), member.seed(),
                    member.microBatchSize(), tta.n(), tta.beta()), items, done -> {
                        long now = System.nanoTime();
                        if (done < passes && now - lastReport[0] > 5e9) { // progress only when a member takes a while
                            lastReport[0] = now;
                            context.log().info(String.format(Locale.ROOT, "%s: TTA pass %d/%d of %d %s done (%.0f s)",
                                    member.name(), done, passes, items.count(), what, (now - start) / 1e9));
                        }
                    });
        } catch (RuntimeException | OutOfMemoryError e) {
            throw MemberOutOfMemory.failure(member, "predicting the " + what + " (TTA)", e, false);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        context.log().info(String.format(Locale.ROOT, "%s: TTA of %d %s x %d passes in %.1f s (%.0f img/s)",
                member.name(), items.count(), what, passes, seconds, items.count() * passes / seconds));
        return probabilities;
    }
}
