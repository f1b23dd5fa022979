package dev.paddy.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The optional test labels ({@code image_id,label}), read when the experiment opens so that a
 * problem with them fails the build before any training, not after it: every test image needs a
 * label, each id once and a plain file name, and each label must be a class of the training data
 * (otherwise the accuracy printed would quietly count it wrong). Rows for images that are not in
 * the test set are ignored.
 */
public record TestLabels(Map<String, String> labels) {
    public TestLabels {
        labels = Map.copyOf(labels);
    }

    public static TestLabels read(Path file, List<String> testIds, List<String> vocabulary) throws DataException {
        Csv csv = Csv.read(file);
        Map<String, String> labels = new HashMap<>();
        ImageIds.Rows idRows = new ImageIds.Rows("keep one row per image");
        Map<String, List<Integer>> unknownLabels = new LinkedHashMap<>();
        Set<String> classes = Set.copyOf(vocabulary);
        List<String> problems = new ArrayList<>();
        for (Csv.Row row : csv.rows()) {
            String id = row.field(0);
            String label = row.field(1);
            var problem = idRows.problem(row);
            if (problem.isPresent()) {
                problems.add(csv.at(row) + problem.get());
            } else if (label.isEmpty()) {
                problems.add(csv.at(row) + "no label for '" + id + "'; each row is image_id,label");
            } else if (!classes.contains(label)) {
                unknownLabels.computeIfAbsent(label, l -> new ArrayList<>()).add(row.line());
            } else {
                labels.put(id, label);
            }
        }
        unknownLabels.forEach((label, lines) -> problems.add(file + ":" + lines.get(0) + ": label '" + label + "'"
                + (lines.size() > 1 ? " (on " + lines.size() + " rows, the first here)" : "")
                + " is not a class of the training data; classes (the folders of data.train): "
                + String.join(", ", vocabulary)));
        if (problems.isEmpty()) {
            List<String> missing = testIds.stream().filter(id -> !labels.containsKey(id)).toList();
            if (!missing.isEmpty()) {
                problems.add(file + ": no label for test image" + (missing.size() > 1 ? "s " : " ")
                        + listed(missing) + "; add a row image_id,label for every test image");
            }
        }
        if (!problems.isEmpty()) {
            throw new DataException(problems);
        }
        return new TestLabels(labels);
    }

    /** 'a', 'b', ... and N more. */
    static String listed(List<String> names) {
        int shown = PaddyData.LISTED;
        List<String> quoted = names.stream().limit(shown).map(n -> "'" + n + "'").toList();
        return String.join(", ", quoted) + (names.size() > shown ? " and " + (names.size() - shown) + " more" : "");
    }
}
