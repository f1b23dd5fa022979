package dev.paddy.experiment;

import dev.paddy.io.Checksums;
import dev.paddy.io.Json;
import dev.paddy.io.MachineCache;
import dev.paddy.io.OutputLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The members' trained weights on disk and their records: whether a member's {@code model.params}
 * is there, whole, and trained for its current key, and if not, why it must train.
 */
final class TrainedModels {
    /** The kind of the machine cache's entries that hold a member's weights and record, by training key. */
    static final String CACHE_KIND = "models";
    private static final String CACHED_WEIGHTS = "model.params";
    private static final String CACHED_RECORD = "training.json";

    private final OutputLayout layout;
    private final MachineCache cache;
    private final ExperimentLog log;

    TrainedModels(OutputLayout layout, MachineCache cache, ExperimentLog log) {
        this.layout = layout;
        this.cache = cache;
        this.log = log;
    }

    /** The member's training record, empty when there is none or it is damaged ({@code whyNot} hears why). */
    Optional<TrainingRecord> record(String member, Consumer<String> whyNot) {
        return Json.read(layout.trainingRecord(member), TrainingRecord.class, whyNot);
    }

    /**
     * The member's training record for reading its figures: its own, else the one that came with
     * its shared predictions when another build trained it; empty when neither is whole.
     */
    Optional<TrainingRecord> knownRecord(String member) {
        return record(member, why -> { })
                .or(() -> Json.read(layout.sharedTrainingRecord(member), TrainingRecord.class, why -> { }));
    }

    /**
     * As above, only when it was trained for the member's current key: the figures of an earlier
     * configuration (a record left from before a change, or an old one shared) are not this member's.
     */
    Optional<TrainingRecord> currentRecord(ResolvedMember member) {
        String key = member.keys().training();
        return record(member.name(), why -> { }).filter(r -> key.equals(r.key()))
                .or(() -> Json.read(layout.sharedTrainingRecord(member.name()), TrainingRecord.class, why -> { })
                        .filter(r -> key.equals(r.key())));
    }

    /** Writes the record of weights just trained, and keeps both in the machine cache. */
    void write(TrainingRecord record) throws IOException {
        Json.write(layout.trainingRecord(record.member()), record);
        cache.keep(CACHE_KIND, record.key(), files(record.member()));
    }

    /**
     * Empty when the member's weights for its current key are on disk and intact, put there from
     * the machine cache if need be (after 'mvn clean', or trained by another experiment on this
     * machine); else why it must train.
     */
    Optional<Reason> whyTrain(ResolvedMember member) throws IOException {
        Optional<Reason> why = whyTrainHere(member);
        if (why.isPresent() && cache.restore(CACHE_KIND, member.keys().training(), files(member.name()))) {
            Optional<Reason> restored = whyTrainHere(member);
            if (restored.isEmpty()) {
                log.info(member.name() + ": weights for key " + Keys.shown(member.keys().training())
                        + " restored from the machine cache " + cache.root().orElseThrow());
            }
            return restored;
        }
        return why;
    }

    private Map<String, Path> files(String member) {
        return Map.of(CACHED_WEIGHTS, layout.model(member), CACHED_RECORD, layout.trainingRecord(member));
    }

    /** As {@link #whyTrain}, from the output folder alone. */
    private Optional<Reason> whyTrainHere(ResolvedMember member) throws IOException {
        String[] damaged = {null};
        Optional<TrainingRecord> record = record(member.name(), why -> damaged[0] = why);
        if (record.isEmpty()) {
            if (damaged[0] != null) {
                return Optional.of(new Reason.Damaged(layout.trainingRecord(member.name()), "training record", damaged[0]));
            }
            return Optional.of(Files.isRegularFile(OutputLayout.checkpointProgress(layout.checkpointDir(member.name())))
                    ? new Reason.Interrupted() : new Reason.New());
        }
        if (!member.keys().training().equals(record.get().key())) {
            return Optional.of(WhyRuns.diff(record.get().inputs(), member.keys().trainingInputs()));
        }
        Path weights = layout.model(member.name());
        String checksum = Checksums.of(weights);
        if (checksum == null) {
            return Optional.of(new Reason.Missing(weights));
        }
        String recorded = record.get().modelChecksum();
        if (recorded == null) {
            return Optional.of(new Reason.Unverified());
        }
        if (!checksum.equals(recorded)) {
            return Optional.of(new Reason.Damaged(weights, "weights file", weights + ": size:CRC32C " + checksum
                    + ", training.json records " + recorded));
        }
        return Optional.empty();
    }
}
