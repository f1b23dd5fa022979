package dev.paddy.experiment;

import dev.paddy.data.Csv;
import dev.paddy.data.ImageFiles;
import dev.paddy.data.ItemImages;
import dev.paddy.data.ItemTransform;
import dev.paddy.ensemble.Predictions;
import dev.paddy.ensemble.WeightedMean;
import dev.paddy.io.AtomicFiles;
import dev.paddy.io.Printable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Classifies a folder of images with the trained members ({@code paddy:predict}): each member's
 * item transform and TTA exactly as for the test images ({@link ItemCache}, {@link MemberTta}),
 * averaged with the ensemble's weights ({@link EnsembleStage#weightedMean}), written as a CSV of
 * each image's path under the folder, its label and the ensemble's probability of that label.
 * The folder is listed and every member's weights are checked before anything is decoded or predicted.
 */
final class PredictStage {
    private final StageContext context;
    private final TrainedModels models;
    private final PredictionStore predictions;
    private final MemberTta memberTta;
    private final MemberRunner runner;

    PredictStage(StageContext context, TrainedModels models, PredictionStore predictions, MemberTta memberTta,
                 MemberRunner runner) {
        this.context = context;
        this.models = models;
        this.predictions = predictions;
        this.memberTta = memberTta;
        this.runner = runner;
    }

    FolderPredictions run(List<ResolvedMember> members, Path folder, Path csv) throws ExperimentException, IOException {
        List<Path> files = images(folder); // a listing: the folder's mistakes are said before the members'
        refuseUntrained(members);
        List<String> ids = files.stream().map(f -> ImageFiles.relativeId(folder, f)).toList();
        context.log().info(String.format(Locale.ROOT, "paddy:predict: %d images in %s, %d member(s): %s", files.size(),
                folder, members.size(), String.join(", ", members.stream().map(ResolvedMember::name).toList())));
        Map<ItemTransform, ItemImages> items = new LinkedHashMap<>();
        for (ResolvedMember member : members) { // every image decoded before any model runs: a bad one fails first
            ItemTransform transform = member.training().item();
            if (!items.containsKey(transform)) {
                items.put(transform, context.items().folder(folder, files, transform));
            }
        }
        // Each member in its worker, as its TTA of the test images ran: the same numerics, the same bytes.
        List<MemberRunner.Job> jobs = new ArrayList<>();
        for (ResolvedMember member : members) {
            jobs.add(new MemberRunner.Job(WorkerJob.predict(member.name(), member.keys().tta(), folder),
                    member.training().numerics(), () -> predictHere(member, folder, files,
                    items.get(member.training().item()))));
        }
        runner.run(jobs);
        List<float[][]> probabilities = new ArrayList<>();
        for (ResolvedMember member : members) {
            float[][] folderLabel = Predictions.read(probabilitiesFile(member), member.keys().tta())
                    .orElseThrow(() -> new IOException(probabilitiesFile(member) + ": not written by "
                            + member.name() + "'s prediction"))
                    .probabilities();
            EnsembleStage.refuseDiverged(member, folderLabel, "images in " + folder.getFileName(),
                    "Nothing was written to " + csv);
            probabilities.add(folderLabel);
        }
        float[][] ensemble = EnsembleStage.weightedMean(members, probabilities);
        FolderPredictions result = new FolderPredictions(csv, ids, context.data().vocabulary(), ensemble);
        write(result);
        context.log().info("paddy:predict: " + ids.size() + " labels written to " + csv);
        return result;
    }

    /** A worker's job: {@code folder}'s images, listed and decoded (mapped) as the build did, predicted here. */
    void predictHere(ResolvedMember member, Path folder) throws ExperimentException, IOException {
        List<Path> files = ImageFiles.walk(folder);
        predictHere(member, folder, files, context.items().folder(folder, files, member.training().item()));
    }

    /**
     * Predicts {@code files} ({@code folder}'s images, decoded as {@code items}) with {@code member}'s
     * TTA in this JVM and writes the folder label's probabilities to {@link #probabilitiesFile}.
     */
    private void predictHere(ResolvedMember member, Path folder, List<Path> files, ItemImages items)
            throws ExperimentException, IOException {
        float[][] folderLabel = memberTta.predict(member, items, "images in " + folder.getFileName())[0];
        new Predictions(member.keys().tta(), files.stream().map(f -> ImageFiles.relativeId(folder, f)).toList(),
                context.data().vocabulary(), folderLabel).write(probabilitiesFile(member));
    }

    /** Where a member's probabilities of the folder's images go from its worker to the build. */
    private Path probabilitiesFile(ResolvedMember member) {
        return context.layout().workers().resolve(member.name() + ".predict.probs");
    }

    /**
     * Fails, naming each member and what to run, when a member's weights for its current key are
     * not here (nor in the machine cache): new images need the model itself, not its test predictions.
     */
    private void refuseUntrained(List<ResolvedMember> members) throws ExperimentException, IOException {
        List<String> untrained = new ArrayList<>();
        for (ResolvedMember member : members) {
            Optional<Reason> why = models.whyTrain(member);
            if (why.isPresent()) {
                untrained.add("member '" + member.name() + "': " + why.get().text()
                        + (predictions.local(member).isPresent() ? "; only its TTA predictions of the test set are"
                        + " here (shared by the build that trained it), and new images need the model itself" : ""));
            }
        }
        if (!untrained.isEmpty()) {
            List<String> others = members.stream().map(ResolvedMember::name)
                    .filter(n -> untrained.stream().noneMatch(u -> u.startsWith("member '" + n + "'"))).toList();
            throw new ExperimentException(untrained.size() + " member(s) have no trained weights for their current"
                    + " configuration on this machine, which paddy:predict needs:\n  " + String.join("\n  ", untrained)
                    + "\nRun 'mvn paddy:train' (or 'mvn package') first to train them here"
                    + (others.isEmpty() ? "" : ", or classify with the others alone: -Dpaddy.members="
                    + String.join(",", others)) + ". Nothing was predicted");
        }
    }

    /** The images to classify: every image in the folder and its sub-folders; none is an error. */
    private List<Path> images(Path folder) throws ExperimentException {
        if (!Files.isDirectory(folder)) {
            throw new ExperimentException(Printable.of(folder.toString()) + ": " + (Files.exists(folder)
                    ? "not a folder" : "no such folder") + "; name the folder of images to classify");
        }
        List<Path> files = ImageFiles.walk(folder);
        List<String> ignored = ImageFiles.ignoredUnder(folder).stream().map(ImageFiles::describeIgnored).toList();
        String ignoredLines = ignored.isEmpty() ? "" : "\n  " + String.join("\n  ", ignored.subList(0,
                Math.min(20, ignored.size()))) + (ignored.size() > 20 ? "\n  and " + (ignored.size() - 20) + " more" : "");
        if (files.isEmpty()) {
            throw new ExperimentException(Printable.of(folder.toString()) + ": no image (" + String.join(", ",
                    ImageFiles.EXTENSIONS) + ") in it or its sub-folders, so nothing to classify"
                    + (ignored.isEmpty() ? "" : "; " + ignored.size() + " file(s) there are not images:" + ignoredLines));
        }
        if (!ignored.isEmpty()) {
            context.log().warn(ignored.size() + " file(s) in " + folder + " are not images (" + String.join(", ",
                    ImageFiles.EXTENSIONS) + ") and are not classified:" + ignoredLines);
        }
        return files;
    }

    /** {@code image,label,probability}: a row per image in {@link FolderPredictions#ids} order, written atomically. */
    private static void write(FolderPredictions result) throws IOException {
        StringBuilder csv = new StringBuilder("image,label,probability\n");
        for (int i = 0; i < result.ids().size(); i++) {
            float[] row = result.probabilities()[i];
            int label = WeightedMean.argmax(row);
            csv.append(Csv.quote(result.ids().get(i))).append(',').append(Csv.quote(result.vocabulary().get(label)))
                    .append(',').append(String.format(Locale.ROOT, "%.6f", row[label])).append('\n');
        }
        AtomicFiles.writeString(result.csv(), csv.toString());
    }
}
