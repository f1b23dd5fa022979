package dev.paddy.experiment;

import dev.paddy.io.Checksums;
import dev.paddy.io.Json;
import dev.paddy.io.OutputLayout;
import dev.paddy.manifest.MemberSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The members' trained weights on disk and their records: whether a member's {@code model.params}
 * is there, whole, and trained for its current key, and if not, why it must train.
 */
final class TrainedModels {
    private final OutputLayout layout;
    private final Keys keys;

    private static final String DAMAGED_RECORD = "training record damaged: ";
    private static final String DAMAGED_WEIGHTS = "weights file damaged: ";

    /** Whether {@code why} (from {@link #whyTrain}) is a damaged file, which the log warns about. */
    static boolean damaged(String why) {
        return why.startsWith(DAMAGED_RECORD) || why.startsWith(DAMAGED_WEIGHTS);
    }

    /** Deletes the file that {@code why} (from {@link #whyTrain}, {@link #damaged}) says is damaged. */
    void removeDamaged(MemberSpec member, String why) throws IOException {
        Files.deleteIfExists(why.startsWith(DAMAGED_WEIGHTS) ? layout.model(member.name())
                : layout.trainingRecord(member.name()));
    }

    TrainedModels(OutputLayout layout, Keys keys) {
        this.layout = layout;
        this.keys = keys;
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

    void write(TrainingRecord record) throws IOException {
        Json.write(layout.trainingRecord(record.member()), record);
    }

    /** Empty when the member's weights for its current key are on disk and intact; else why it must train. */
    Optional<String> whyTrain(MemberSpec member) throws IOException {
        String[] damaged = {null};
        Optional<TrainingRecord> record = record(member.name(), why -> damaged[0] = why);
        if (record.isEmpty()) {
            if (damaged[0] != null) {
                return Optional.of(DAMAGED_RECORD + damaged[0]);
            }
            return Optional.of(Files.isRegularFile(OutputLayout.checkpointProgress(layout.checkpointDir(member.name())))
                    ? "interrupted before its end: a checkpoint is there" : "new");
        }
        Keys.MemberKeys now = keys.of(member);
        if (!now.training().equals(record.get().key())) {
            return Optional.of(WhyRuns.diff(record.get().inputs(), now.trainingInputs()));
        }
        String checksum = Checksums.of(layout.model(member.name()));
        if (checksum == null) {
            return Optional.of("weights file missing (" + layout.model(member.name()) + ")");
        }
        String recorded = record.get().modelChecksum();
        if (recorded == null) {
            return Optional.of("no checksum recorded for its weights (an older paddy trained it)");
        }
        if (!checksum.equals(recorded)) {
            return Optional.of(DAMAGED_WEIGHTS + layout.model(member.name()) + ": size:CRC32C " + checksum
                    + ", training.json records " + recorded);
        }
        return Optional.empty();
    }
}
