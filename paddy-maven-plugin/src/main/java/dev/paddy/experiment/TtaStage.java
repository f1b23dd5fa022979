package dev.paddy.experiment;

import dev.paddy.data.ItemImages;
import dev.paddy.data.TargetLabels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Predicts the test set with TTA for each member whose predictions for its current key are not at hand. */
final class TtaStage {
    private final StageContext context;
    private final TrainedModels models;
    private final PredictionStore predictions;
    private final MemberTta memberTta;
    private final MemberRunner runner;

    TtaStage(StageContext context, TrainedModels models, PredictionStore predictions, MemberTta memberTta,
             MemberRunner runner) {
        this.context = context;
        this.models = models;
        this.predictions = predictions;
        this.memberTta = memberTta;
        this.runner = runner;
    }

    StageReport run(List<ResolvedMember> members) throws ExperimentException, IOException {
        List<StageReport.Entry> entries = new ArrayList<>();
        List<MemberRunner.Job> jobs = new ArrayList<>();
        for (ResolvedMember member : members) {
            Optional<PredictionStore.Found> found = predictions.obtain(member);
            if (found.isPresent()) {
                if (found.get().fromCache()) {
                    context.log().info(member.name() + ": TTA predictions cached ("
                            + context.layout().root().relativize(predictions.file(member)) + ")");
                    entries.add(new StageReport.Entry(member.name(), StageReport.Outcome.CACHED,
                            new Reason.Kept("predictions cached")));
                } else {
                    entries.add(new StageReport.Entry(member.name(), StageReport.Outcome.RESOLVED,
                            new Reason.Kept(found.get().source())));
                }
                continue;
            }
            Reason why = WhyRuns.diff(predictions.lastInputs(member), member.keys().ttaInputs());
            context.log().event(new StageEvent.Runs(StageId.TTA, member.name(), why));
            if (models.whyTrain(member).isPresent()) {
                throw StageId.TTA.missing(StageId.TRAIN, member.name(), "trained weights");
            }
            context.items().test(member.training().item()); // decoded once here, not in each worker
            jobs.add(MemberRunner.Job.of(WorkerJob.Task.TTA, member.spec(), member.keys().tta(), () -> predictHere(member)));
            entries.add(new StageReport.Entry(member.name(), StageReport.Outcome.RAN, why));
        }
        runner.run(jobs);
        return new StageReport(StageId.TTA, entries);
    }

    /** The members whose predictions for their current keys are in the local cache, whole. */
    List<PredictionsArtifact> artifacts(List<ResolvedMember> members) throws IOException {
        List<PredictionsArtifact> artifacts = new ArrayList<>();
        for (ResolvedMember member : members) {
            if (predictions.local(member).isPresent()) {
                Path record = Files.isRegularFile(context.layout().trainingRecord(member.name()))
                        ? context.layout().trainingRecord(member.name()) : context.layout().sharedTrainingRecord(member.name());
                artifacts.add(new PredictionsArtifact(member.name(), member.keys().tta(),
                        predictions.file(member), Files.isRegularFile(record) ? record : null));
            }
        }
        return artifacts;
    }

    /** Predicts the test images with TTA for {@code member} in this JVM and saves them (a worker's job). */
    void predictHere(ResolvedMember member) throws ExperimentException, IOException {
        ItemImages items = context.items().test(member.training().item());
        float[][][] probabilities = memberTta.predict(member, items, "test images");
        List<TargetLabels> targets = context.targetLabels(member.spec());
        for (int t = 1; t < targets.size(); t++) {
            predictions.saveTarget(member, targets.get(t).name(), targets.get(t).vocabulary(), probabilities[t]);
        }
        predictions.save(member, probabilities[0]);
    }
}
