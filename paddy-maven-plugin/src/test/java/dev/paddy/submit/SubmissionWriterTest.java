package dev.paddy.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubmissionWriterTest {
    @TempDir
    Path dir;

    @Test
    void writesArgmaxClassNamesInSampleOrder() throws Exception {
        Path file = dir.resolve("submission.csv");
        SubmissionWriter.write(file, "image_id", "label", List.of("200003.jpg", "200001.jpg", "200002.jpg"),
                new float[][] {{0.1f, 0.2f, 0.7f}, {0.6f, 0.3f, 0.1f}, {0.2f, 0.5f, 0.3f}},
                List.of("blast", "hispa", "normal"));
        assertEquals(List.of("image_id,label", "200003.jpg,normal", "200001.jpg,blast", "200002.jpg,hispa"),
                Files.readAllLines(file));
    }
}
