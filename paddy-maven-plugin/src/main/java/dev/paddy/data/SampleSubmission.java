package dev.paddy.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A sample submission, read once: its header's column names (the first names the image ids, the
 * second the labels) and the image ids in its order, the order the submission must keep.
 */
public record SampleSubmission(List<String> columns, List<String> ids) {

    public static SampleSubmission read(Path csv) throws DataException {
        List<String> ids = new ArrayList<>();
        List<String> columns;
        try (BufferedReader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String header = reader.readLine();
            if (header == null) {
                throw new DataException(List.of(csv + ":1: empty file; expected a header such as 'image_id,label'"));
            }
            columns = List.of(header.split(",")).stream().map(String::trim).toList();
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    int comma = line.indexOf(',');
                    ids.add((comma < 0 ? line : line.substring(0, comma)).trim());
                }
            }
        } catch (IOException e) {
            throw new DataException(List.of(csv + ": cannot read: " + e.getMessage()));
        }
        return new SampleSubmission(columns, List.copyOf(ids));
    }
}
