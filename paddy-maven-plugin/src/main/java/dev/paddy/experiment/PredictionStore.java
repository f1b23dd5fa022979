package dev.paddy.experiment;

import dev.paddy.data.PaddyData;
import dev.paddy.engine.Numerics;
import dev.paddy.engine.RunEnvironment;
import dev.paddy.ensemble.Predictions;
import dev.paddy.io.Json;
import dev.paddy.io.MachineCache;
import dev.paddy.io.OutputLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The members' TTA predictions: the local cache ({@code predictions/<name>-<key>.probs}, one file
 * per TTA key, with {@code <name>.json} recording the inputs of the last ones) in front of the
 * team's shared predictions. A damaged local file is reported, deleted and never used. A member
 * of several targets has a file per target after the folder label beside it
 * ({@code <name>-<key>.<target>.probs}); its local predictions are whole only with all of them.
 * The team shares the folder label's only.
 */
final class PredictionStore {
    /** The kind of the machine cache's entries that hold a member's TTA predictions, by TTA key. */
    static final String CACHE_KIND = "predictions";

    private final OutputLayout layout;
    private final MachineCache cache;
    private final PaddyData data;
    private final SharedPredictions shared;
    private final ExperimentLog log;

    /** The member's predictions and where they came from: "cache" or the shared source. */
    record Found(Predictions predictions, String source) {
        boolean fromCache() {
            return source.equals("cache");
        }
    }

    /** {@code predictions/<name>.json}: the inputs of a member's last predictions, to say what changed. */
    record PredictionRecord(String member, String key, Map<String, String> inputs) implements Json.Checked {
        @Override
        public String problem() {
            return member == null || key == null || inputs == null ? "written by an older paddy" : null;
        }
    }

    private static final String RECOMPUTED = "it will be recomputed";

    PredictionStore(OutputLayout layout, MachineCache cache, PaddyData data, SharedPredictions shared, ExperimentLog log) {
        this.layout = layout;
        this.cache = cache;
        this.data = data;
        this.shared = shared;
        this.log = log;
    }

    Path file(ResolvedMember member) throws IOException {
        return layout.predictions(member.name(), member.keys().tta());
    }

    Path targetFile(ResolvedMember member, String target) throws IOException {
        return layout.targetPredictions(member.name(), member.keys().tta(), target);
    }

    /**
     * The member's predictions in the local cache for its current key, whole, and those of its
     * other targets too, put there from the machine cache if need be; empty otherwise.
     */
    Optional<Predictions> local(ResolvedMember member) throws IOException {
        Optional<Predictions> found = localHere(member);
        if (found.isEmpty() && cache.restore(CACHE_KIND, member.keys().tta(), cacheFiles(member))) {
            found = localHere(member);
            if (found.isPresent()) {
                writeRecord(member);
                log.info(member.name() + ": TTA predictions for key " + Keys.shown(member.keys().tta())
                        + " restored from the machine cache " + cache.root().orElseThrow());
            }
        }
        return found;
    }

    /** The files of the member's predictions, by their names in a machine cache entry. */
    private Map<String, Path> cacheFiles(ResolvedMember member) throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("test.probs", file(member));
        for (String target : member.training().moreTargets()) {
            files.put("test." + OutputLayout.fileNamePart(target) + ".probs", targetFile(member, target));
        }
        return files;
    }

    /** As {@link #local}, from the output folder alone. */
    private Optional<Predictions> localHere(ResolvedMember member) throws IOException {
        Optional<Predictions> found = read(member, file(member), RECOMPUTED);
        for (String target : member.training().moreTargets()) {
            if (found.isPresent() && read(member, targetFile(member, target), RECOMPUTED).isEmpty()) {
                return Optional.empty();
            }
        }
        return found;
    }

    /** The member's predictions of a target after the folder label, for its current key; empty when not at hand. */
    Optional<Predictions> target(ResolvedMember member, String target) throws IOException {
        return read(member, targetFile(member, target), RECOMPUTED);
    }

    /**
     * The predictions in {@code file} for the member's current key; a file that cannot be used
     * is reported once (the file, why, and {@code then}), deleted and never used.
     */
    private Optional<Predictions> read(ResolvedMember member, Path file, String then) throws IOException {
        try {
            return Predictions.read(file, member.keys().tta());
        } catch (Predictions.CorruptedException e) {
            log.warn(e.getMessage() + "; " + then);
            Files.deleteIfExists(file);
            return Optional.empty();
        }
    }

    /**
     * The member's predictions for its current key: from the local cache, else fetched from the
     * team's shared predictions into the cache (checked like a local entry); empty when neither has them.
     */
    Optional<Found> obtain(ResolvedMember member) throws IOException {
        Optional<Predictions> local = local(member);
        if (local.isPresent()) {
            return Optional.of(new Found(local.get(), "cache"));
        }
        String key = member.keys().tta();
        Optional<String> from = shared.fetch(member.name(), key, SharedPredictions.Kind.PREDICTIONS, file(member));
        if (from.isEmpty()) {
            return Optional.empty();
        }
        // The team shares the folder label's only.
        Optional<Predictions> fetched = readShared(member, file(member), "the predictions from " + from.get()
                + " are not used");
        if (fetched.isEmpty()) {
            return Optional.empty();
        }
        // Its training record comes along when the runner that trained it published one: the report's
        // curves, and the numerics it was computed with.
        Path record = layout.sharedTrainingRecord(member.name());
        Files.deleteIfExists(record); // another key's: not this one's environment
        shared.fetch(member.name(), key, SharedPredictions.Kind.TRAINING_RECORD, record);
        Optional<RunEnvironment> made = Json.read(record, TrainingRecord.class, why -> { })
                .filter(r -> member.keys().training().equals(r.key()))
                .map(TrainingRecord::environment);
        boolean portable = member.training().numerics() == Numerics.PORTABLE;
        if (portable && (made.isEmpty() || !made.get().portable())) {
            log.warn(member.name() + ": the TTA predictions from " + from.get() + " are not used: they were made "
                    + made.map(e -> "under numerics " + e.numerics() + " (" + e.describe() + ")")
                            .orElse("with no record of their numerics")
                    + ", and a 'numerics: portable' member takes only predictions made under portable numerics");
            Files.deleteIfExists(file(member));
            Files.deleteIfExists(record);
            return Optional.empty();
        }
        RunEnvironment here = RunEnvironment.ofWorker(member.training().numerics());
        String how = made.isEmpty() ? " (no record of the numerics they were made under)"
                : portable && made.get().samePortableBytes(here) ? " (made under portable numerics, as here: "
                        + made.get().cpuModel() + ")"
                : made.get().differenceFrom(here).isEmpty() ? ""
                : " (made under other numerics: " + made.get().differenceFrom(here) + ")";
        log.info(member.name() + ": TTA predictions resolved from " + from.get() + how);
        writeRecord(member);
        return Optional.of(new Found(fetched.get(), from.get()));
    }

    /**
     * As {@link #read}, for a file a teammate's build made: also refused unless it is of a size these
     * test images can have, and holds exactly these test images in the sample submission's order,
     * this vocabulary in its order, and finite probabilities (a swapped class order would silently
     * change the submission; a diverged member's NaN would make every image class 0).
     */
    private Optional<Predictions> readShared(ResolvedMember member, Path file, String then) throws IOException {
        try {
            long size = Files.size(file);
            if (size > maxSharedBytes()) {
                throw new Predictions.CorruptedException(file + ": " + size + " bytes, more than predictions of "
                        + data.testIds().size() + " test images in " + data.vocabulary().size() + " classes can take ("
                        + maxSharedBytes() + ")");
            }
            Optional<Predictions> read = Predictions.read(file, member.keys().tta());
            if (read.isPresent()) {
                checkAgainstLocalData(file, read.get());
            }
            return read;
        } catch (Predictions.CorruptedException e) {
            log.warn(e.getMessage() + "; " + then);
            Files.deleteIfExists(file);
            return Optional.empty();
        }
    }

    /** Twice the most a predictions file of this experiment's test images and vocabulary can take. */
    private long maxSharedBytes() {
        long bytes = 4096 + 4L * data.testIds().size() * data.vocabulary().size();
        for (String id : data.testIds()) {
            bytes += 2 + 3L * id.length();
        }
        for (String label : data.vocabulary()) {
            bytes += 2 + 3L * label.length();
        }
        return 2 * bytes;
    }

    private void checkAgainstLocalData(Path file, Predictions found) throws Predictions.CorruptedException {
        if (!found.ids().equals(data.testIds())) {
            throw new Predictions.CorruptedException(file + ": its " + found.ids().size() + " image ids are not this"
                    + " experiment's " + data.testIds().size() + " test images in the sample submission's order");
        }
        if (!found.vocabulary().equals(data.vocabulary())) {
            throw new Predictions.CorruptedException(file + ": its classes " + found.vocabulary() + " are not this"
                    + " experiment's " + data.vocabulary() + " in that order");
        }
        int rows = found.nonFiniteRows();
        if (rows > 0) {
            throw new Predictions.CorruptedException(file + ": NaN or infinite probabilities for " + rows + " of "
                    + found.ids().size() + " test images (the member diverged where it was trained)");
        }
    }

    /** Writes the member's predictions (after those of its other targets), and keeps them all in the machine cache. */
    void save(ResolvedMember member, float[][] probabilities) throws IOException {
        new Predictions(member.keys().tta(), data.testIds(), data.vocabulary(), probabilities).write(file(member));
        writeRecord(member);
        cache.keep(CACHE_KIND, member.keys().tta(), cacheFiles(member));
    }

    /** Writes the member's predictions of a target after the folder label (before {@link #save}, which completes them). */
    void saveTarget(ResolvedMember member, String target, List<String> vocabulary, float[][] probabilities)
            throws IOException {
        new Predictions(member.keys().tta(), data.testIds(), vocabulary, probabilities)
                .write(targetFile(member, target));
    }

    /** The inputs of the member's last predictions; null when there were none (or the record is unusable). */
    Map<String, String> lastInputs(ResolvedMember member) {
        return Json.read(layout.predictionsRecord(member.name()), PredictionRecord.class, why -> { })
                .map(PredictionRecord::inputs).orElse(null);
    }

    private void writeRecord(ResolvedMember member) throws IOException {
        Keys.MemberKeys memberKeys = member.keys();
        Json.write(layout.predictionsRecord(member.name()),
                new PredictionRecord(member.name(), memberKeys.tta(), memberKeys.ttaInputs()));
    }
}
