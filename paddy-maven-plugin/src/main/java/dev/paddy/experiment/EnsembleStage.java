package dev.paddy.experiment;

import dev.paddy.data.DataException;
import dev.paddy.data.PaddyData;
import dev.paddy.data.TestLabels;
import dev.paddy.ensemble.Predictions;
import dev.paddy.ensemble.WeightedMean;
import dev.paddy.io.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ensemble: the weighted mean of the members' TTA probabilities, written to
 * {@code ensemble.probs}, with each member's and the ensemble's test accuracy when test labels
 * are given, printed as a leaderboard.
 */
final class EnsembleStage {
    private final StageContext context;
    private final TrainedModels models;
    private final PredictionStore predictions;

    EnsembleStage(StageContext context, TrainedModels models, PredictionStore predictions) {
        this.context = context;
        this.models = models;
        this.predictions = predictions;
    }

    /** @param members the ensemble's members */
    EnsembleResult run(List<ResolvedMember> members) throws ExperimentException, IOException {
        List<float[][]> probabilities = new ArrayList<>();
        Map<String, Double> accuracies = new LinkedHashMap<>();
        List<EnsembleRecord.Row> rows = new ArrayList<>();
        Map<String, String> truth = context.manifest().data().testLabels().isPresent()
                ? testLabels(context.manifest().data().testLabels().get()) : null;
        ExperimentLog log = context.log();
        log.info(String.format(Locale.ROOT, "%-24s %-16s %6s %11s %14s", "member", "arch", "weight", "valid_error",
                truth == null ? "" : "test_accuracy"));
        for (ResolvedMember member : members) {
            Predictions found = predictions.obtain(member).orElseThrow(() ->
                    StageId.ENSEMBLE.missing(StageId.TTA, member.name(), "TTA predictions")).predictions();
            refuseDiverged(member, found.probabilities(), "test images", "Nothing was ensembled or submitted");
            probabilities.add(found.probabilities());
            Double accuracy = truth == null ? null : accuracy(found.probabilities(), truth);
            accuracies.put(member.name(), accuracy);
            Double validError = validError(member);
            rows.add(new EnsembleRecord.Row(member.name(), member.arch(), member.weight(), validError, accuracy));
            log.info(String.format(Locale.ROOT, "%-24s %-16s %6.2f %11s %14s", member.name(), member.arch(),
                    member.weight(), validError == null ? "?" : String.format(Locale.ROOT, "%.4f", validError),
                    accuracy == null ? "" : String.format(Locale.ROOT, "%.4f", accuracy)));
        }
        float[][] ensemble = weightedMean(members, probabilities);
        Double accuracy = truth == null ? null : accuracy(ensemble, truth);
        PaddyData data = context.data();
        new Predictions("ensemble", data.testIds(), data.vocabulary(), ensemble).write(context.layout().ensemble());
        Json.write(context.layout().ensembleRecord(), new EnsembleRecord(rows, accuracy));
        if (accuracy != null) {
            log.info(String.format(Locale.ROOT, "%-24s %-16s %6s %11s %14.4f", "ENSEMBLE", "", "", "", accuracy));
        }
        return new EnsembleResult(ensemble, accuracies, accuracy);
    }

    /**
     * The ensemble of the members' probabilities of the same images ({@code probabilities.get(m)}
     * is member m's): their mean, each weighted by its {@code weight:}. The one mean of
     * {@code paddy:ensemble} (the test set) and {@code paddy:predict} (a folder).
     */
    static float[][] weightedMean(List<ResolvedMember> members, List<float[][]> probabilities) {
        return WeightedMean.combine(probabilities, members.stream().map(ResolvedMember::weight).toList());
    }

    /**
     * Refuses a member whose predictions of {@code what} hold NaN or infinite values: averaged in,
     * every image it touches would become class 0 without a word. Its training diverged; the likely
     * cause is its lr. {@code consequence} says what was not done.
     */
    static void refuseDiverged(ResolvedMember member, float[][] probabilities, String what, String consequence)
            throws ExperimentException {
        int rows = Predictions.nonFiniteRows(probabilities);
        if (rows > 0) {
            throw new ExperimentException(String.format(Locale.ROOT, "member '%s': its TTA predictions are NaN or"
                    + " infinite for %d of %d %s, so its training diverged; the likely cause is its learning"
                    + " rate (lr %s) being too high: lower 'lr:' for it, or use 'lr: find', and build again (or leave"
                    + " it out of 'ensemble.members'). %s", member.name(), rows, probabilities.length, what,
                    member.lr(), consequence));
        }
    }

    /** The member's error rate on its validation split, from its training record (here, or shared with its predictions). */
    private Double validError(ResolvedMember member) {
        return models.currentRecord(member)
                .map(TrainingRecord::errorRate).orElse(null);
    }

    private Map<String, String> testLabels(Path file) throws ExperimentException {
        try {
            return TestLabels.read(file, context.data().testIds(), context.data().vocabulary()).labels();
        } catch (DataException e) {
            throw new ExperimentException(e.getMessage(), e);
        }
    }

    private double accuracy(float[][] probabilities, Map<String, String> truth) {
        PaddyData data = context.data();
        int correct = 0;
        for (int i = 0; i < probabilities.length; i++) {
            if (data.vocabulary().get(WeightedMean.argmax(probabilities[i])).equals(truth.get(data.testIds().get(i)))) {
                correct++;
            }
        }
        return (double) correct / probabilities.length;
    }
}
