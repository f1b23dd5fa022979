package dev.paddy.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.paddy.ChildJvm;
import dev.paddy.Training;
import dev.paddy.ensemble.Predictions;
import dev.paddy.io.DiskFullException;
import dev.paddy.io.Json;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A damaged or foreign file where a cache entry should be (truncated, one bit flipped, another
 * key's, an older or a newer paddy's): the next build says so in one warning naming the file and
 * the reason, never uses it, computes it again, and ends with the same bytes as the build that
 * wrote the cache. Every file kind that saves work is here: the TTA predictions, the item cache,
 * training.json, the weights, a checkpoint's progress.json, parameters and optimizer state, the
 * memory plan and the lr finder's curve.
 */
@Training
@ChildJvm
class DamagedCacheTest {
    @TempDir
    static Path project;

    @TempDir
    static Path variantProject;

    @TempDir
    Path dir;

    static Path manifest;
    static Path complete;
    static Path variantManifest;

    /** The output folders the cases start from. */
    enum State {
        /** A whole build. */
        COMPLETE,
        /** A whole build without its predictions: the weights and records are needed again. */
        NO_PREDICTIONS,
        /** A build stopped after its last epoch's checkpoint, before the weights (the disk filled). */
        INTERRUPTED,
        /** A whole build of a member with 'accum: auto' under a budget and 'lr: find'. */
        VARIANT
    }

    /** COMPLETE is the reference build the fault tests share ({@link FaultProject#reference}). */
    static Path stateDir(State state) {
        return state == State.COMPLETE ? complete
                : (state == State.VARIANT ? variantProject : project).resolve(state.name().toLowerCase());
    }

    static Path manifestOf(State state) {
        return state == State.VARIANT ? variantManifest : manifest;
    }

    /** The reference a state's next build must end at. */
    static Path referenceOf(State state) {
        return stateDir(state == State.VARIANT ? State.VARIANT : State.COMPLETE);
    }

    @BeforeAll
    static void builds() throws Exception {
        FaultProject.Reference shared = FaultProject.reference();
        manifest = shared.manifest();
        complete = shared.complete();
        FaultProject.copy(stateDir(State.COMPLETE), stateDir(State.NO_PREDICTIONS));
        Files.delete(FaultProject.onlyPredictions(stateDir(State.NO_PREDICTIONS)));
        assertThrows(DiskFullException.class, () -> FaultProject.buildWithFault("disk-full:**/members/res/model.params:0",
                manifest, stateDir(State.INTERRUPTED), new CollectedLog()));
        variantManifest = FaultProject.create(variantProject, FaultProject.MEMBERS
                .replace("    accum: 2\n", "    accum: auto\n    lr: find\n") + "budget: 64GiB\n");
        FaultProject.build(variantManifest, stateDir(State.VARIANT), new CollectedLog());
    }

    /** Where a file is in an output folder. */
    @FunctionalInterface
    interface Locate {
        Path in(Path out) throws IOException;
    }

    /** What is done to it. */
    @FunctionalInterface
    interface Damage {
        void to(Path file) throws IOException;
    }

    /** The warning expected, from the damaged file. */
    @FunctionalInterface
    interface Said {
        String of(Path file) throws IOException;
    }

    /**
     * @param warning the start of the one warning (null: no warning at all), and its end
     * @param nextSays a line of the next build's log that says what it computes again
     */
    record Case(String name, State state, Locate file, Damage damage, Said warning, String warningEnd, String nextSays) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final String RECOMPUTED = "; it will be recomputed";
    static final String DECODED_AGAIN = "; not used: the images are decoded again and the file replaced";
    static final String NOT_USED = "; the checkpoint is not used: starting from epoch 1";
    static final String CHECKSUM = "checksum mismatch: CRC32C ";

    static Stream<Case> cases() {
        Locate probs = FaultProject::onlyPredictions;
        Locate trainItems = out -> itemCaches(out).get(1);
        Locate record = out -> out.resolve("members/res/training.json");
        Locate weights = out -> out.resolve("members/res/model.params");
        Locate progress = out -> out.resolve("members/res/checkpoint/progress.json");
        String ttaRuns = "res: TTA runs (cached result incomplete)";
        String retrains = "res epoch 1/3  train_loss";
        String resumes = "res: resuming after epoch 3 of 3";
        return Stream.of(
                new Case("predictions: truncated", State.COMPLETE, probs, DamagedCacheTest::truncate,
                        f -> f + ": checksum mismatch (truncated or modified)", RECOMPUTED, ttaRuns),
                new Case("predictions: one bit flipped", State.COMPLETE, probs, DamagedCacheTest::flipBit,
                        f -> f + ": checksum mismatch (truncated or modified)", RECOMPUTED, ttaRuns),
                new Case("predictions: another key's, under this key's name", State.COMPLETE, probs,
                        f -> {
                            Predictions p = FaultProject.predictions(f).orElseThrow();
                            new Predictions("feedfacefeedface0123", p.ids(), p.vocabulary(), p.probabilities()).write(f);
                        },
                        f -> f + ": holds predictions for key feedfacefeedface, not for "
                                + f.getFileName().toString().replaceAll("^res-|\\.probs$", "")
                                + " (a file copied or renamed by hand?)", RECOMPUTED, ttaRuns),
                new Case("predictions: a newer paddy's format", State.COMPLETE, probs, f -> putInt(f, 4, 2),
                        f -> f + ": written by a newer paddy (predictions format 2; this paddy reads format 1)", RECOMPUTED,
                        ttaRuns),
                new Case("item cache: truncated", State.INTERRUPTED, trainItems, f -> shorten(f, 100),
                        f -> String.format(java.util.Locale.ROOT, "%s: truncated item cache (%,d bytes, expected %,d)", f,
                                Files.size(f), Files.size(f) + 100), DECODED_AGAIN, "decoded 39 training images"),
                new Case("item cache: one bit of an item flipped", State.INTERRUPTED, trainItems, DamagedCacheTest::flipBit,
                        f -> f + ": checksum mismatch in its items (CRC32C ", ": damaged or modified" + DECODED_AGAIN,
                        "decoded 39 training images"),
                new Case("item cache: its reasons file changed", State.INTERRUPTED, trainItems,
                        f -> Files.writeString(Path.of(f + ".failures"), "a.jpg: gone\n", StandardOpenOption.APPEND),
                        f -> f + ": checksum mismatch in its reasons file " + f.getFileName() + ".failures (CRC32C ",
                        ": damaged or modified" + DECODED_AGAIN, "decoded 39 training images"),
                new Case("item cache: another key's (the test images'), under this key's name", State.INTERRUPTED,
                        trainItems, f -> Files.copy(otherItemCache(f), f, java.nio.file.StandardCopyOption.REPLACE_EXISTING),
                        // named after the copy, when both files have the same size: by name, not by size
                        f -> f + ": an item cache of other images (6 items of 16 px, key "
                                + key(otherItemCache(f)) + "; expected 39 items of 16 px, key "
                                + key(f) + ")", DECODED_AGAIN, "decoded 39 training images"),
                new Case("item cache: a newer paddy's format", State.INTERRUPTED, trainItems, f -> putInt(f, 12, 3),
                        f -> f + ": written by a newer paddy (item cache format 3; this paddy reads format 2)",
                        DECODED_AGAIN, "decoded 39 training images"),
                new Case("item cache: an older paddy's, without checksums", State.INTERRUPTED, trainItems,
                        f -> putInt(f, 12, 0), f -> f + ": an item cache of an older paddy, without checksums",
                        DECODED_AGAIN, "decoded 39 training images"),
                new Case("training.json: truncated", State.NO_PREDICTIONS, record, DamagedCacheTest::truncate,
                        f -> "res: trains (training record damaged: " + f + ": cannot be read (" + CHECKSUM,
                        " (truncated or modified)))", retrains),
                new Case("training.json: one digit changed", State.NO_PREDICTIONS, record, DamagedCacheTest::flipDigit,
                        f -> "res: trains (training record damaged: " + f + ": cannot be read (" + CHECKSUM,
                        " (truncated or modified)))", retrains),
                new Case("training.json: a newer paddy's format", State.NO_PREDICTIONS, record,
                        f -> replace(f, "\"format\": 1,", "\"format\": 2,"),
                        f -> "res: trains (training record damaged: " + f + ": cannot be read (written by a newer paddy"
                                + " (format 2; this paddy reads format 1 and older)))", "", retrains),
                new Case("training.json: one digit changed, predictions at hand", State.COMPLETE, record,
                        DamagedCacheTest::flipDigit, f -> "res: training record damaged: " + f + ": cannot be read ("
                                + CHECKSUM, " (truncated or modified)); removed, not used: its TTA predictions for this"
                                + " configuration are at hand, so it needs no weights", "res: cached (its TTA predictions"),
                new Case("model.params: one bit flipped", State.NO_PREDICTIONS, weights, DamagedCacheTest::flipBit,
                        f -> "res: trains (weights file damaged: " + f + ": size:CRC32C ", ")", retrains),
                new Case("model.params: one bit flipped, predictions at hand", State.COMPLETE, weights,
                        DamagedCacheTest::flipBit, f -> "res: weights file damaged: " + f + ": size:CRC32C ",
                        "; removed, not used: its TTA predictions for this configuration are at hand, so it needs no"
                                + " weights", "res: cached (its TTA predictions"),
                new Case("checkpoint progress.json: truncated", State.INTERRUPTED, progress, DamagedCacheTest::truncate,
                        f -> "res: " + f + ": cannot be read (" + CHECKSUM, " (truncated or modified))" + NOT_USED, retrains),
                new Case("checkpoint progress.json: one digit changed", State.INTERRUPTED, progress,
                        DamagedCacheTest::flipDigit, f -> "res: " + f + ": cannot be read (" + CHECKSUM,
                        " (truncated or modified))" + NOT_USED, retrains),
                new Case("checkpoint progress.json: a newer paddy's format", State.INTERRUPTED, progress,
                        f -> replace(f, "\"format\": 1,", "\"format\": 7,"), f -> "res: " + f + ": cannot be read (written"
                                + " by a newer paddy (format 7; this paddy reads format 1 and older))", NOT_USED, retrains),
                new Case("checkpoint progress.json: another configuration's", State.INTERRUPTED, progress,
                        f -> {
                            JsonObject json = Json.read(f, JsonObject.class, why -> { }).orElseThrow();
                            json.remove("format");
                            json.remove("crc32c");
                            json.addProperty("key", "another configuration");
                            Json.write(f, json);
                        }, null, null, retrains),
                new Case("checkpoint parameters: one bit flipped", State.INTERRUPTED,
                        out -> out.resolve("members/res/checkpoint/epoch-3.params"), DamagedCacheTest::flipBit,
                        f -> "res: " + f + ": checksum mismatch (size:CRC32C ", "): damaged" + NOT_USED, retrains),
                new Case("checkpoint optimizer state: truncated", State.INTERRUPTED,
                        out -> out.resolve("members/res/checkpoint/epoch-3.optimizer"), f -> shorten(f, 1),
                        f -> "res: " + f + ": checksum mismatch (size:CRC32C ", "): damaged" + NOT_USED, retrains),
                new Case("memory-plan.json: one digit changed", State.VARIANT, out -> out.resolve("memory-plan.json"),
                        DamagedCacheTest::flipDigit, f -> f + ": cannot be read (" + CHECKSUM,
                        " (truncated or modified)); the members are planned again",
                        // planned from the probes the folder holds, not probed again: nothing they depend on changed
                        "(measured before)"),
                new Case("lr-find record: one digit changed", State.VARIANT, out -> out.resolve("lr-find/res.json"),
                        DamagedCacheTest::flipDigit, f -> f + ": cannot be read (" + CHECKSUM,
                        " (truncated or modified)); the lr finder runs again", "res: lr finder, lr"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isReportedOnceNeverUsedAndComputedAgain(Case c) throws Exception {
        Path out = dir.resolve("paddy");
        FaultProject.copy(stateDir(c.state()), out);
        Path file = c.file().in(out);
        c.damage().to(file);
        String start = c.warning() == null ? null : c.warning().of(file);

        CollectedLog next = new CollectedLog();
        FaultProject.build(manifestOf(c.state()), out, next);
        List<String> warnings = next.lines.stream().filter(l -> l.startsWith("WARN ")).map(l -> l.substring(5)).toList();
        if (start == null) {
            assertEquals(List.of(), warnings);
        } else {
            assertEquals(1, warnings.size(), "one warning: " + warnings);
            assertTrue(warnings.get(0).startsWith(start), "expected a warning starting\n" + start + "\ngot\n" + warnings.get(0));
            assertTrue(warnings.get(0).endsWith(c.warningEnd()), "expected it to end\n" + c.warningEnd() + "\ngot\n"
                    + warnings.get(0));
        }
        assertTrue(next.has(c.nextSays()), next.lines.toString());
        FaultProject.assertWhole(out, referenceOf(c.state()));
        Path reference = referenceOf(c.state());
        assertArrayEquals(Files.readAllBytes(reference.resolve("submission.csv")), Files.readAllBytes(out.resolve("submission.csv")),
                "byte-identical submission");
        assertArrayEquals(Files.readAllBytes(FaultProject.onlyPredictions(reference)),
                Files.readAllBytes(FaultProject.onlyPredictions(out)), "byte-identical predictions");
        if (c.name().endsWith("predictions at hand")) {
            assertFalse(Files.exists(file), "the damaged file was removed");
        } else {
            assertArrayEquals(Files.readAllBytes(reference.resolve("members/res/model.params")),
                    Files.readAllBytes(out.resolve("members/res/model.params")), "byte-identical weights");
        }
    }

    /** The item caches in an output folder, smaller (the test images') first. */
    static List<Path> itemCaches(Path out) throws IOException {
        try (Stream<Path> files = Files.list(out.resolve("items"))) {
            List<Path> caches = files.filter(f -> f.getFileName().toString().endsWith(".u8")).toList();
            assertEquals(2, caches.size(), caches.toString());
            return caches.stream().sorted(Comparator.comparingLong(DamagedCacheTest::size)).toList();
        }
    }

    /** The item cache beside {@code itemCache} (the test images' beside the training images'). */
    static Path otherItemCache(Path itemCache) throws IOException {
        return itemCaches(itemCache.getParent().getParent()).stream()
                .filter(f -> !f.getFileName().equals(itemCache.getFileName())).findFirst().orElseThrow();
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The key in an item cache's name. */
    static String key(Path itemCache) {
        return itemCache.getFileName().toString().replaceAll("^items-|\\.u8$", "");
    }

    static void truncate(Path file) throws IOException {
        shorten(file, Files.size(file) / 2);
    }

    static void shorten(Path file, long bytes) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(f.length() - bytes);
        }
    }

    /** Flips one bit in the middle of the file. */
    static void flipBit(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long middle = f.length() / 2 + 3;
            f.seek(middle);
            int b = f.read();
            f.seek(middle);
            f.write(b ^ 0x04);
        }
    }

    /** Flips the lowest bit of the last digit of a JSON file's second half: still a digit, still JSON. */
    static void flipDigit(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        for (int i = bytes.length - 1; i > bytes.length / 2; i--) {
            if (bytes[i] >= '0' && bytes[i] <= '9') {
                bytes[i] ^= 1;
                Files.write(file, bytes);
                return;
            }
        }
        throw new AssertionError("no digit in " + file);
    }

    static void putInt(Path file, int offset, int value) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes).putInt(offset, value);
        Files.write(file, bytes);
    }

    static void replace(Path file, String from, String to) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(text.contains(from), file + " holds " + from);
        Files.writeString(file, text.replace(from, to), StandardCharsets.UTF_8);
    }
}
