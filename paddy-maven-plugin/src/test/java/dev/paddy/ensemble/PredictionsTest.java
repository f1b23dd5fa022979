package dev.paddy.ensemble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictionsTest {
    @TempDir
    Path dir;

    final Predictions predictions = new Predictions("key-1", List.of("a.jpg", "b.jpg"), List.of("x", "y"),
            new float[][] {{0.25f, 0.75f}, {1f, 0f}});

    @Test
    void roundTripsAndRefusesAnotherKey() throws Exception {
        Path file = dir.resolve("m.probs");
        predictions.write(file);
        Predictions read = Predictions.read(file, "key-1").orElseThrow();
        assertEquals(predictions.ids(), read.ids());
        assertEquals(predictions.vocabulary(), read.vocabulary());
        assertArrayEquals(predictions.probabilities()[0], read.probabilities()[0]);
        // Its name says which key it holds: another key inside is a foreign file, reported, never used.
        assertEquals(file + ": holds predictions for key key-1, not for key-2 (a file copied or renamed by hand?)",
                assertThrows(Predictions.CorruptedException.class, () -> Predictions.read(file, "key-2")).getMessage());
        assertTrue(Predictions.read(dir.resolve("absent.probs"), "key-1").isEmpty());
    }

    @Test
    void truncatedOrFlippedFilesAreDetected() throws Exception {
        Path file = dir.resolve("m.probs");
        predictions.write(file);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 5));
        assertThrows(Predictions.CorruptedException.class, () -> Predictions.read(file, "key-1"));
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(file, bytes);
        assertThrows(Predictions.CorruptedException.class, () -> Predictions.read(file, "key-1"));
    }
}
