package dev.paddy.submit;

import dev.paddy.data.Csv;
import dev.paddy.ensemble.WeightedMean;
import dev.paddy.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the submission: argmax -> class name in vocabulary order, one row per id in sample order;
 * a field with a comma or a quote is quoted (RFC 4180), as the sample submission may have had it.
 */
public final class SubmissionWriter {
    private SubmissionWriter() {}

    public static void write(Path file, String idColumn, String labelColumn, List<String> ids, float[][] probabilities,
                             List<String> vocabulary) throws IOException {
        StringBuilder csv = new StringBuilder(Csv.quote(idColumn) + "," + Csv.quote(labelColumn) + "\n");
        for (int i = 0; i < ids.size(); i++) {
            csv.append(Csv.quote(ids.get(i))).append(',')
                    .append(Csv.quote(vocabulary.get(WeightedMean.argmax(probabilities[i])))).append('\n');
        }
        AtomicFiles.writeString(file, csv.toString());
    }
}
