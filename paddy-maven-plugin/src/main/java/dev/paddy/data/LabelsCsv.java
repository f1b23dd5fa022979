package dev.paddy.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * line number for messages. Cells may be quoted ({@code "a, b"}); a row may not span lines.
 */
public final class LabelsCsv {
    private final Path file;
    private final List<String> columns;
    private final Map<String, Row> rows;
    private final List<String> duplicates;

    private record Row(int line, List<String> cells) {}

    private LabelsCsv(Path file, List<String> columns, Map<String, Row> rows, List<String> duplicates) {
        this.file = file;
        this.columns = List.copyOf(columns);
        this.rows = rows;
        this.duplicates = List.copyOf(duplicates);
    }

    public static LabelsCsv read(Path file) throws DataException {
        Map<String, Row> rows = new LinkedHashMap<>();
        List<String> duplicates = new ArrayList<>();
        List<String> columns;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = reader.readLine();
            if (header == null || header.isBlank()) {
                throw new DataException(List.of(file + ":1: empty file; expected a header such as"
                        + " 'image_id,label,variety'"));
            }
            columns = cells(header.startsWith("\uFEFF") ? header.substring(1) : header);
            String line;
            int number = 1;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                List<String> cells = cells(line);
                Row before = rows.putIfAbsent(cells.get(0), new Row(number, cells));
                if (before != null) {
                    duplicates.add("image id '" + cells.get(0) + "' appears twice (lines " + before.line() + " and "
                            + number + ")");
                }
            }
        } catch (IOException e) {
            throw new DataException(List.of(file + ": cannot read: " + e.getMessage()));
        }
        return new LabelsCsv(file, columns, rows, duplicates);
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
        Row row = rows.get(imageId);
        return row == null ? 0 : row.line();
    }

    /** The image's value in {@code column}, trimmed; empty when it has no row or the cell is empty or missing. */
    public Optional<String> value(String imageId, String column) {
        Row row = rows.get(imageId);
        int index = columns.indexOf(column);
        if (row == null || index < 0 || index >= row.cells().size() || row.cells().get(index).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(row.cells().get(index));
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

    /** One line's cells, trimmed; a cell in double quotes may hold commas, and "" is a quote inside it. */
    static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"' && cell.toString().isBlank()) {
                cell.setLength(0);
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString().trim());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString().trim());
        return cells;
    }
}
