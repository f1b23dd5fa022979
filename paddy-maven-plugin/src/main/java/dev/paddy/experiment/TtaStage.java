package dev.paddy.experiment;

import dev.paddy.data.ItemImages;
import dev.paddy.data.TargetLabels;
import dev.paddy.engine.Engines;
import dev.paddy.manifest.MemberSpec;
import dev.paddy.predict.MemberPredictor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Predicts the test set with TTA for each member whose predictions for its current key are not at hand. */
final class TtaStage {
    private final StageContext context;
    private final TrainedModels models;
    private final PredictionStore predictions;

    TtaStage(StageContext context, TrainedModels models, PredictionStore predictions) {
        this.context = context;
        this.models = models;
        this.predictions = predictions;
    }

    /** @param members resolved members */
    StageReport run(List<MemberSpec> members) throws ExperimentException, IOException {
        List<StageReport.Entry> entries = new ArrayList<>();
        MemberPredictor predictor = null;
        for (MemberSpec member : members) {
            Optional<PredictionStore.Found> found = predictions.obtain(member);
            if (found.isPresent()) {
                if (found.get().fromCache()) {
                    context.log().info(member.name() + ": TTA predictions cached ("
                            + context.layout().root().relativize(predictions.file(member)) + ")");
                    entries.add(new StageReport.Entry(member.name(), StageReport.Outcome.CACHED, "predictions cached"));
                } else {
                    entries.add(new StageReport.Entry(member.name(), StageReport.Outcome.RESOLVED, found.get().source()));
                }
                continue;
            }
            String why = WhyRuns.diff(predictions.lastInputs(member), context.keys().of(member).ttaInputs());
            context.log().info(member.name() + ": TTA runs (" + why + ")");
            if (models.whyTrain(member).isPresent()) {
                throw new ExperimentException("member '" + member.name() + "' has no trained weights for its current"
                        + " configuration; run 'mvn paddy:train' (or 'mvn package') first");
            }
            if (predictor == null) {
                predictor = new MemberPredictor(context.threads(), Engines.device());
            }
            predict(predictor, member);
            entries.add(new StageReport.Entry(member.name(), StageReport.Outcome.RAN, why));
        }
        return new StageReport("tta", entries);
    }

    /** The members whose predictions for their current keys are in the local cache, whole. */
    List<PredictionsArtifact> artifacts(List<MemberSpec> members) throws IOException {
        List<PredictionsArtifact> artifacts = new ArrayList<>();
        for (MemberSpec member : members) {
            if (predictions.local(member).isPresent()) {
                Path record = Files.isRegularFile(context.layout().trainingRecord(member.name()))
                        ? context.layout().trainingRecord(member.name()) : context.layout().sharedTrainingRecord(member.name());
                artifacts.add(new PredictionsArtifact(member.name(), context.keys().of(member).tta(),
                        predictions.file(member), Files.isRegularFile(record) ? record : null));
            }
        }
        return artifacts;
    }

    private void predict(MemberPredictor predictor, MemberSpec member) throws ExperimentException, IOException {
        ItemImages items = context.items().test(member.training().item());
        var tta = context.manifest().tta();
        long start = System.nanoTime();
        List<TargetLabels> more = context.moreTargets(member);
        float[][][] probabilities;
        try {
            probabilities = predictor.predictTargets(new MemberPredictor.Request(member.model(),
                    context.data().vocabulary().size(), member.training().inputSize(), member.training().normalization(),
                    context.layout().model(member.name()),
                    context.keys().of(member).seed(), member.microBatchSize(), tta.n(), tta.beta(),
                    more.stream().map(target -> target.vocabulary().size()).toList()), items);
        } catch (RuntimeException | OutOfMemoryError e) {
            throw MemberOutOfMemory.failure(member, "predicting the test set (TTA)", e, false);
        }
        for (int t = 0; t < more.size(); t++) {
            predictions.saveTarget(member, more.get(t).name(), more.get(t).vocabulary(), probabilities[t + 1]);
        }
        predictions.save(member, probabilities[0]);
        double seconds = (System.nanoTime() - start) / 1e9;
        int passes = tta.n() + 1;
        context.log().info(String.format(Locale.ROOT, "%s: TTA of %d test images x %d passes in %.1f s (%.0f img/s)",
                member.name(), items.count(), passes, seconds, items.count() * passes / seconds));
    }
}
