package dev.paddy.experiment;

import dev.paddy.export.ExportException;
import dev.paddy.export.ModelExport;
import dev.paddy.io.AtomicFiles;
import dev.paddy.io.Hashing;
import dev.paddy.io.OutputLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes each selected member's trained model in DJL's model-zoo layout and zips it
 * ({@link ModelExport}), unless the zip on disk was written for the same trained weights and the
 * same export settings and is intact: a rebuild without changes writes nothing. A member this
 * build did not train because its TTA predictions were at hand, and whose weights are not here,
 * is left out (said in the log); one with neither fails, naming paddy:train.
 */
final class ExportStage {
    /** Changes when what an export writes changes, so older zips are written again. */
    static final String FORMAT = "torchscript-1";

    private final StageContext context;
    private final TrainedModels models;
    private final PredictionStore predictions;

    ExportStage(StageContext context, TrainedModels models, PredictionStore predictions) {
        this.context = context;
        this.models = models;
        this.predictions = predictions;
    }

    /** One member's zip, and whether it was written now (false: kept from an earlier build). */
    record Exported(String member, Path zip, boolean written) {}

    List<Exported> run(List<ResolvedMember> members) throws ExperimentException, IOException {
        List<Exported> out = new ArrayList<>();
        for (ResolvedMember member : members) {
            OutputLayout layout = context.layout();
            Path zip = layout.modelZip(member.name());
            ModelExport.Request request = request(member);
            String key = key(member, request);
            if (isCurrent(layout.modelZipRecord(member.name()), zip, key)) {
                context.log().info(member.name() + ": model zip up to date (" + layout.root().relativize(zip) + ")");
                out.add(new Exported(member.name(), zip, false));
                continue;
            }
            if (models.whyTrain(member).isPresent()) {
                Optional<PredictionStore.Found> found = predictions.obtain(member);
                if (found.isPresent()) {
                    // Its TTA predictions were at hand (this machine's, or the team's), so this build did not
                    // train it: the build that trained it attached its model.
                    context.log().info(member.name() + ": not exported: no trained weights here (its TTA predictions"
                            + " are at hand, from " + found.get().source() + ", so this build trained nothing);"
                            + " the build that trained it attached its model");
                    continue;
                }
                throw StageId.EXPORT.missing(StageId.TRAIN, member.name(), "trained weights");
            }
            long start = System.nanoTime();
            Path folder;
            try {
                folder = ModelExport.write(request, layout.modelZoo(member.name()));
            } catch (ExportException e) {
                throw new ExperimentException("member '" + member.name() + "' cannot be exported: " + e.getMessage(), e);
            }
            ModelExport.zip(folder, zip);
            AtomicFiles.writeString(layout.modelZipRecord(member.name()), key + "\n" + Hashing.sha256(zip) + "\n");
            context.log().info(String.format(java.util.Locale.ROOT, "%s: exported to %s in %.1f s", member.name(),
                    layout.root().relativize(zip), (System.nanoTime() - start) / 1e9));
            out.add(new Exported(member.name(), zip, true));
        }
        return out;
    }

    private ModelExport.Request request(ResolvedMember member) {
        var training = member.training();
        return new ModelExport.Request(member.name(), member.model(), context.targetsOf(member.spec()).classes(),
                context.targetLabels(member.spec()).get(0).vocabulary(), training.inputSize(), training.item().resize(),
                training.normalization(), context.layout().model(member.name()));
    }

    /** The trained weights' key and every setting the export writes into the folder. */
    private static String key(ResolvedMember member, ModelExport.Request request) {
        Map<String, String> parts = new LinkedHashMap<>();
        parts.put("format", FORMAT);
        parts.put("training", member.keys().training());
        parts.put("classes", java.util.Arrays.toString(request.classes()));
        parts.put("vocabulary", String.join("\n", request.vocabulary()));
        parts.put("inputSize", Integer.toString(request.inputSize()));
        parts.put("resize", request.resize().name());
        parts.put("normalization", request.normalization().toString());
        return Hashing.sha256(parts);
    }

    /** Whether the zip is there, whole (its checksum as recorded), and written for {@code key}. */
    private static boolean isCurrent(Path record, Path zip, String key) throws IOException {
        if (!Files.isRegularFile(record) || !Files.isRegularFile(zip)) {
            return false;
        }
        List<String> lines = Files.readAllLines(record, StandardCharsets.UTF_8);
        return lines.size() >= 2 && lines.get(0).equals(key) && lines.get(1).equals(Hashing.sha256(zip));
    }
}
