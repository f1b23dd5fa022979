package dev.paddy.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.paddy.Training;
import dev.paddy.model.ModelSource;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A resumed training must start from a checkpoint only when it is of this configuration and its
 * files are exactly the ones {@code progress.json} names; anything else starts from epoch 1, and
 * the build log says why. The checkpoint is a genuine one (a ResNet18's parameters and optimizer
 * state), damaged the ways a killed or corrupted build could leave it.
 */
@Training
class CheckpointsTest {
    static final String KEY = "key-1";
    static final List<EpochMetrics> HISTORY = List.of(
            new EpochMetrics(1, "frozen", 2.25, 1.5, 0.5, 120.0, 3.0),
            new EpochMetrics(2, "unfrozen", 1.25, Double.NaN, Double.NaN, 130.5, 2.5));

    @TempDir
    static Path saved;

    @TempDir
    Path dir;

    final List<String> notes = new ArrayList<>();

    private static Learner learner() {
        return Learner.of(ModelSource.builtIn("resnet18")).classes(3).inputSize(16)
                .optimizer(OptimizerKind.ADAMW, 0.01).seed(5).device(Device.cpu()).build();
    }

    /** Epoch 1's checkpoint, then epoch 2's, which replaces it. */
    @BeforeAll
    static void saveTwoEpochs() throws IOException {
        try (Learner learner = learner()) {
            Checkpoints checkpoints = new Checkpoints(saved, KEY);
            checkpoints.save(learner, 1, 3.0, HISTORY.subList(0, 1));
            checkpoints.save(learner, 2, 5.5, HISTORY);
        }
    }

    /** A copy of the saved checkpoint to damage. */
    private Path copy() throws IOException {
        Path copy = Files.createDirectories(dir.resolve("checkpoints"));
        try (Stream<Path> files = Files.list(saved)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        return copy;
    }

    private Optional<Checkpoints.Saved> latest(Path checkpoints) {
        return new Checkpoints(checkpoints, KEY).latest(notes::add);
    }

    static final String NOT_USED = "; the checkpoint is not used: starting from epoch 1";

    /** What is said of a checkpoint file that fails the checksum progress.json records for it. */
    private static String damaged(Path file) throws IOException {
        return file + ": checksum mismatch (size:CRC32C " + dev.paddy.io.Checksums.of(file) + ", progress.json records "
                + dev.paddy.io.Checksums.of(saved.resolve(file.getFileName())) + "): damaged" + NOT_USED;
    }

    private static String missing(Path file) {
        return file + ": missing, though progress.json names it for epoch 2" + NOT_USED;
    }

    @Test
    void anIntactCheckpointOfThisKeyIsResumedFrom() throws IOException {
        Path checkpoints = copy();
        Checkpoints.Saved found = latest(checkpoints).orElseThrow();
        assertEquals(new Checkpoints.Saved(2, 5.5, HISTORY, checkpoints.resolve("epoch-2.params"),
                checkpoints.resolve("epoch-2.optimizer")), found);
        assertEquals(List.of(), notes);
    }

    @Test
    void savingAnEpochDropsThePreviousEpochsFiles() throws IOException {
        try (Stream<Path> files = Files.list(saved)) {
            assertEquals(List.of("epoch-2.optimizer", "epoch-2.params", "progress.json"),
                    files.map(f -> f.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void noProgressFileIsNoCheckpointAndNothingToSay() throws IOException {
        Path checkpoints = copy();
        Files.delete(checkpoints.resolve("progress.json"));
        assertEquals(Optional.empty(), latest(checkpoints));
        assertEquals(Optional.empty(), latest(dir.resolve("never-created")));
        assertEquals(List.of(), notes);
    }

    @Test
    void aProgressFileWithoutKeyOrHistoryIsIncomplete() throws IOException {
        Path checkpoints = copy();
        Path progress = checkpoints.resolve("progress.json");
        for (String content : List.of("", "{}", "{\"key\": \"key-1\", \"epochsDone\": 2}",
                "{\"key\": \"key-1\", \"epochsDone\": 2, \"history\": []}")) {
            Files.writeString(progress, content);
            assertEquals(Optional.empty(), latest(checkpoints), content);
        }
        assertEquals(List.of(progress + ": cannot be read (empty)" + NOT_USED,
                progress + ": cannot be read (incomplete)" + NOT_USED,
                progress + ": cannot be read (incomplete)" + NOT_USED,
                progress + ": cannot be read (incomplete)" + NOT_USED), notes);
    }

    @Test
    void aTruncatedOrGarbledProgressFileCannotBeRead() throws IOException {
        Path checkpoints = copy();
        Path progress = checkpoints.resolve("progress.json");
        String whole = Files.readString(progress);
        // A digit changed still parses: the file's own checksum catches it.
        String flipped = whole.replace("\"epochsDone\": 2", "\"epochsDone\": 3");
        for (String content : List.of(whole.substring(0, whole.length() / 2), "garbage {", "[1, 2]", flipped)) {
            Files.writeString(progress, content);
            assertEquals(Optional.empty(), latest(checkpoints), content);
        }
        assertEquals(4, notes.size());
        assertTrue(notes.get(3).startsWith(progress + ": cannot be read (checksum mismatch: CRC32C "), notes.get(3));
        for (String note : notes) {
            assertTrue(note.startsWith(progress + ": cannot be read (") && note.endsWith(")" + NOT_USED), note);
        }
    }

    @Test
    void aCheckpointOfAnotherConfigurationIsNotResumed() throws IOException {
        Path checkpoints = copy();
        assertEquals(Optional.empty(), new Checkpoints(checkpoints, "key-2").latest(notes::add));
        assertEquals(List.of("the checkpoint in " + checkpoints + " is of another configuration; starting from epoch 1"),
                notes);
    }

    @Test
    void truncatedParametersAreDamaged() throws IOException {
        Path checkpoints = copy();
        try (RandomAccessFile file = new RandomAccessFile(checkpoints.resolve("epoch-2.params").toFile(), "rw")) {
            file.setLength(file.length() - 1);
        }
        assertEquals(Optional.empty(), latest(checkpoints));
        assertEquals(List.of(damaged(checkpoints.resolve("epoch-2.params"))), notes);
    }

    @Test
    void oneFlippedBitInTheParametersIsDamaged() throws IOException {
        Path checkpoints = copy();
        flipOneBit(checkpoints.resolve("epoch-2.params"));
        assertEquals(Optional.empty(), latest(checkpoints));
        assertEquals(List.of(damaged(checkpoints.resolve("epoch-2.params"))), notes);
    }

    @Test
    void oneFlippedBitInTheOptimizerStateIsDamaged() throws IOException {
        Path checkpoints = copy();
        flipOneBit(checkpoints.resolve("epoch-2.optimizer"));
        assertEquals(Optional.empty(), latest(checkpoints));
        assertEquals(List.of(damaged(checkpoints.resolve("epoch-2.optimizer"))), notes);
    }

    @Test
    void aMissingParameterOrOptimizerFileIsDamaged() throws IOException {
        Path checkpoints = copy();
        Files.delete(checkpoints.resolve("epoch-2.optimizer"));
        assertEquals(Optional.empty(), latest(checkpoints));
        Files.copy(saved.resolve("epoch-2.optimizer"), checkpoints.resolve("epoch-2.optimizer"));
        Files.delete(checkpoints.resolve("epoch-2.params"));
        assertEquals(Optional.empty(), latest(checkpoints));
        assertEquals(List.of(missing(checkpoints.resolve("epoch-2.optimizer")), missing(checkpoints.resolve("epoch-2.params"))),
                notes);
    }

    private static void flipOneBit(Path path) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            long middle = file.length() / 2;
            file.seek(middle);
            int b = file.read();
            file.seek(middle);
            file.write(b ^ 0x10);
        }
    }
}
