package dev.paddy.experiment;

import dev.paddy.data.PaddyData;
import dev.paddy.ensemble.Predictions;
import dev.paddy.ensemble.WeightedMean;
import dev.paddy.submit.SubmissionWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The targets after the folder label, beside the submission: for each, {@code <submission>-<target>.csv}
 * ({@code image_id,<target>}) in the sample submission's order, from the weighted mean of the TTA
 * probabilities of the ensemble's members that predict it. The submission itself is the folder
 * label's alone.
 */
final class TargetSubmissions {
    private final StageContext context;
    private final PredictionStore predictions;

    TargetSubmissions(StageContext context, PredictionStore predictions) {
        this.context = context;
        this.predictions = predictions;
    }

    /** @param members the ensemble's members; returns the files written */
    List<Path> run(List<ResolvedMember> members) throws IOException {
        Set<String> targets = new LinkedHashSet<>();
        for (ResolvedMember member : members) {
            targets.addAll(member.training().moreTargets());
        }
        List<Path> written = new ArrayList<>();
        for (String target : targets) {
            write(target, members).ifPresent(written::add);
        }
        return written;
    }

    private Optional<Path> write(String target, List<ResolvedMember> members) throws IOException {
        List<float[][]> probabilities = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        List<String> used = new ArrayList<>();
        List<String> vocabulary = null;
        for (ResolvedMember member : members.stream().filter(m -> m.training().moreTargets().contains(target)).toList()) {
            Optional<Predictions> found = predictions.target(member, target);
            if (found.isEmpty()) {
                // Its predictions came from the team's repository, which shares the folder label's only.
                context.log().warn(member.name() + ": no '" + target + "' predictions at hand for its current"
                        + " configuration; " + target + " is predicted without it");
                continue;
            }
            if (vocabulary != null && !vocabulary.equals(found.get().vocabulary())) {
                context.log().warn(member.name() + ": its '" + target + "' classes differ from "
                        + String.join(", ", used) + "'s; " + target + " is predicted without it");
                continue;
            }
            vocabulary = found.get().vocabulary();
            probabilities.add(found.get().probabilities());
            weights.add(member.weight());
            used.add(member.name());
        }
        if (probabilities.isEmpty()) {
            context.log().warn("no member's '" + target + "' predictions are at hand: no " + target + " file written");
            return Optional.empty();
        }
        PaddyData data = context.data();
        Path file = context.layout().targetSubmission(context.manifest().submission().file(), target);
        SubmissionWriter.write(file, data.submissionColumns().get(0), target, data.testIds(),
                WeightedMean.combine(probabilities, weights), vocabulary);
        context.log().info(target + ": " + file + " (" + data.testIds().size() + " rows, from "
                + String.join(", ", used) + ")");
        return Optional.of(file);
    }
}
