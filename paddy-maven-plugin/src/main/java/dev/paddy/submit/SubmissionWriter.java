package dev.paddy.submit;

import dev.paddy.ensemble.WeightedMean;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** Writes the submission: argmax -> class name in vocabulary order, one row per id in sample order. */
public final class SubmissionWriter {
    private SubmissionWriter() {}

    public static void write(Path file, String idColumn, String labelColumn, List<String> ids, float[][] probabilities,
                             List<String> vocabulary) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
        try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
            out.write(idColumn + "," + labelColumn + "\n");
            for (int i = 0; i < ids.size(); i++) {
                out.write(ids.get(i) + "," + vocabulary.get(WeightedMean.argmax(probabilities[i])) + "\n");
            }
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
