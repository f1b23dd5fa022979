package dev.paddy.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A sample submission, read once: its header's column names (the first names the image ids, the
 * second the labels) and the image ids in its order, the order the submission must keep, each with
 * the line it is on. An empty id, an id that is a path, or an id twice is refused with its line.
 */
public record SampleSubmission(List<String> columns, List<String> ids, List<Integer> lines) {

    public SampleSubmission {
        columns = List.copyOf(columns);
        ids = List.copyOf(ids);
        lines = List.copyOf(lines);
    }

    /** Ids on consecutive lines after the header. */
    public SampleSubmission(List<String> columns, List<String> ids) {
        this(columns, ids, java.util.stream.IntStream.range(0, ids.size()).map(i -> i + 2).boxed().toList());
    }

    public static SampleSubmission read(Path file) throws DataException {
        Csv csv = Csv.read(file);
        List<String> ids = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        ImageIds.Rows idRows = new ImageIds.Rows("a submission has one row per test image: remove one of them");
        for (Csv.Row row : csv.rows()) {
            var problem = idRows.problem(row);
            if (problem.isPresent()) {
                problems.add(csv.at(row) + problem.get());
            } else {
                ids.add(row.field(0));
                lines.add(row.line());
            }
        }
        if (csv.header().get(0).isEmpty()) {
            problems.add(file + ":1: the first column has no name; the first line names the columns, e.g."
                    + " 'image_id,label'");
        }
        if (csv.rows().isEmpty()) {
            problems.add(file + ": no rows after the header; the sample submission lists every test image, one"
                    + " per row (image_id,label)");
        }
        if (!problems.isEmpty()) {
            throw new DataException(problems);
        }
        return new SampleSubmission(csv.header(), ids, lines);
    }
}
