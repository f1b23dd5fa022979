package dev.paddy.data;

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
 * training images, the test images in the order of the sample submission, and the sample
 * submission's header (its first column names the ids, its second the labels).
 */
public record PaddyData(List<String> vocabulary, List<LabelledImage> train, List<Path> test, List<String> testIds,
                        List<String> submissionColumns) {

    public record LabelledImage(Path file, int label) {}

    public PaddyData {
        vocabulary = List.copyOf(vocabulary);
        train = List.copyOf(train);
        test = List.copyOf(test);
        testIds = List.copyOf(testIds);
        submissionColumns = List.copyOf(submissionColumns);
    }

    /** The training images' files, in label then name order. */
    public List<Path> trainFiles() {
        return train.stream().map(LabelledImage::file).toList();
    }

    /** The training images' labels, in the same order. */
    public int[] trainLabels() {
        return train.stream().mapToInt(LabelledImage::label).toArray();
    }

    /** Scans the layout; a test image named in the sample submission but missing (or the reverse) is an error. */
    public static PaddyData scan(Path trainFolder, Path testFolder, Path sampleSubmission) throws DataException {
        List<String> vocabulary = new ArrayList<>();
        List<LabelledImage> train = new ArrayList<>();
        for (Path folder : ImageFiles.subfolders(trainFolder)) {
            int label = vocabulary.size();
            vocabulary.add(folder.getFileName().toString());
            for (Path image : ImageFiles.list(folder)) {
                train.add(new LabelledImage(image, label));
            }
        }
        Map<String, Path> testFiles = new HashMap<>();
        for (Path image : ImageFiles.list(testFolder)) {
            testFiles.put(ImageFiles.id(image), image);
        }
        SampleSubmission sample = SampleSubmission.read(sampleSubmission);
        List<String> ids = sample.ids();
        List<String> problems = new ArrayList<>();
        List<Path> test = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            Path file = testFiles.get(id);
            if (!seen.add(id)) {
                problems.add(sampleSubmission + ":" + (i + 2) + ": image id '" + id + "' appears twice");
            } else if (file == null) {
                problems.add(sampleSubmission + ":" + (i + 2) + ": image id '" + id + "' has no file in " + testFolder);
            } else {
                test.add(file);
            }
        }
        for (String id : testFiles.keySet().stream().sorted().toList()) {
            if (!seen.contains(id)) {
                problems.add(testFolder.resolve(id) + ": test image is not listed in " + sampleSubmission
                        + "; add a row for it or remove the file");
            }
        }
        if (!problems.isEmpty()) {
            throw new DataException(problems);
        }
        return new PaddyData(vocabulary, train, test, ids, sample.columns());
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
