package dev.paddy.data;

import dev.paddy.io.Printable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A labels CSV such as Paddy Doctor's {@code train.csv} ({@code image_id,label,variety,age}):
 * its header and its rows by image id (the first column, an image's file name), each with its
 * line number for messages. Read as every CSV is ({@link Csv}: RFC 4180, strict UTF-8).
 */
public final class LabelsCsv {
    private final Path file;
    private final List<String> columns;
    private final Map<String, Csv.Row> rows;
    private final List<String> duplicates;

    private LabelsCsv(Path file, List<String> columns, Map<String, Csv.Row> rows, List<String> duplicates) {
        this.file = file;
        this.columns = List.copyOf(columns);
        this.rows = rows;
        this.duplicates = List.copyOf(duplicates);
    }

    public static LabelsCsv read(Path file) throws DataException {
        Csv csv = Csv.read(file);
        Map<String, Csv.Row> rows = new LinkedHashMap<>();
        List<String> duplicates = new ArrayList<>();
        for (Csv.Row row : csv.rows()) {
            Csv.Row before = rows.putIfAbsent(row.field(0), row);
            if (before != null) {
                duplicates.add("image id '" + row.field(0) + "' appears twice (lines " + before.line() + " and "
                        + row.line() + ")");
            }
        }
        return new LabelsCsv(file, csv.header(), rows, duplicates);
    }

    public Path file() {
        return file;
    }

    /** The header's column names, the image id's first. */
    public List<String> columns() {
        return columns;
    }

    /** "image id 'x' appears twice (lines 3 and 9)", for every repeated id. */
    public List<String> duplicates() {
        return duplicates;
    }

    public boolean has(String imageId) {
        return rows.containsKey(imageId);
    }

    /** The line of the image's row, or 0 when it has none. */
    public int line(String imageId) {
        Csv.Row row = rows.get(imageId);
        return row == null ? 0 : row.line();
    }

    /** The image's value in {@code column}; empty when it has no row or the field is empty or missing. */
    public Optional<String> value(String imageId, String column) {
        Csv.Row row = rows.get(imageId);
        int index = columns.indexOf(column);
        if (row == null || index < 0 || row.field(index).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(row.field(index));
    }

    /**
     * The values of {@code column} for {@code images} as class indices into the sorted distinct
     * values (the vocabulary, as fastai's CategoryMap sorts it).
     *
     * @throws DataException naming the images without a row or without a value
     */
    public TargetLabels target(String column, List<Path> images) throws DataException {
        String[] values = new String[images.size()];
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            String id = ImageFiles.id(images.get(i));
            Optional<String> value = value(id, column);
            if (value.isEmpty()) {
                problems.add(file + (has(id) ? ":" + line(id) + ": no '" + column + "' for image '" + id + "'"
                        : ": no row for training image '" + id + "'"));
            } else if (Printable.hasControl(value.get())) {
                problems.add(file + ":" + line(id) + ": the '" + column + "' of image '" + id + "' ('"
                        + Printable.of(value.get()) + "') holds a control character, and class names go into the"
                        + " submission; remove it");
            } else {
                values[i] = value.get();
            }
        }
        if (!problems.isEmpty()) {
            throw new DataException(problems);
        }
        List<String> vocabulary = Arrays.stream(values).distinct().sorted().toList();
        Map<String, Integer> index = new HashMap<>();
        for (String value : vocabulary) {
            index.put(value, index.size());
        }
        int[] labels = Arrays.stream(values).mapToInt(index::get).toArray();
        return new TargetLabels(column, vocabulary, labels);
    }
}
