package dev.paddy.data;

import dev.paddy.manifest.DataSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A data set in the Paddy layout: the vocabulary (sorted label folder names), the labelled
 * training images and the test images in the order of the sample submission.
 */
public record PaddyData(List<String> vocabulary, List<LabelledImage> train, List<Path> test, List<String> testIds) {

    public record LabelledImage(Path file, int label) {}

    public PaddyData {
        vocabulary = List.copyOf(vocabulary);
        train = List.copyOf(train);
        test = List.copyOf(test);
        testIds = List.copyOf(testIds);
    }

    /** Scans the layout; a test image named in the sample submission but missing (or the reverse) is an error. */
    public static PaddyData scan(DataSpec spec) throws DataException {
        List<String> vocabulary = new ArrayList<>();
        List<LabelledImage> train = new ArrayList<>();
        for (Path folder : ImageFiles.subfolders(spec.train())) {
            int label = vocabulary.size();
            vocabulary.add(folder.getFileName().toString());
            for (Path image : ImageFiles.list(folder)) {
                train.add(new LabelledImage(image, label));
            }
        }
        Map<String, Path> testFiles = new HashMap<>();
        for (Path image : ImageFiles.list(spec.test())) {
            testFiles.put(ImageFiles.id(image), image);
        }
        List<String> ids = readFirstColumn(spec.sampleSubmission());
        List<String> problems = new ArrayList<>();
        List<Path> test = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            Path file = testFiles.get(id);
            if (!seen.add(id)) {
                problems.add(spec.sampleSubmission() + ":" + (i + 2) + ": image id '" + id + "' appears twice");
            } else if (file == null) {
                problems.add(spec.sampleSubmission() + ":" + (i + 2) + ": image id '" + id + "' has no file in " + spec.test());
            } else {
                test.add(file);
            }
        }
        for (String id : testFiles.keySet().stream().sorted().toList()) {
            if (!seen.contains(id)) {
                problems.add(spec.test().resolve(id) + ": test image is not listed in " + spec.sampleSubmission()
                        + "; add a row for it or remove the file");
            }
        }
        if (!problems.isEmpty()) {
            throw new DataException(problems);
        }
        return new PaddyData(vocabulary, train, test, ids);
    }

    /** The first column of a CSV with a header row: the image ids of a sample submission. */
    public static List<String> readFirstColumn(Path csv) throws DataException {
        List<String> ids = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String header = reader.readLine();
            if (header == null) {
                throw new DataException(List.of(csv + ":1: empty file; expected a header such as 'image_id,label'"));
            }
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
        return ids;
    }

    /** Reads {@code image_id,label} rows (the optional test labels) into a map. */
    public static Map<String, String> readLabels(Path csv) throws DataException {
        Map<String, String> labels = new HashMap<>();
        try (BufferedReader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            reader.readLine();
            String line;
            int number = 1;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String[] columns = line.split(",");
                if (columns.length < 2) {
                    throw new DataException(List.of(csv + ":" + number + ": expected 'image_id,label', got '" + line + "'"));
                }
                labels.put(columns[0].trim(), columns[1].trim());
            }
        } catch (IOException e) {
            throw new DataException(List.of(csv + ": cannot read: " + e.getMessage()));
        }
        return labels;
    }
}
