package dev.paddy.data;

import dev.paddy.io.Printable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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

    /** Messages list this many problems of one kind, then how many more. */
    static final int LISTED = 10;

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

    /**
     * Scans the layout; a test image named in the sample submission but missing (or the reverse) is
     * an error; the first {@link #LISTED} of each kind are listed, then how many more.
     */
    public static PaddyData scan(Path trainFolder, Path testFolder, Path sampleSubmission) throws DataException {
        List<String> vocabulary = new ArrayList<>();
        List<LabelledImage> train = new ArrayList<>();
        for (Path folder : ImageFiles.subfolders(trainFolder)) {
            if (Printable.hasControl(folder.getFileName().toString())) {
                throw new DataException(List.of(Printable.of(folder.toString()) + ": a class folder's name holds a"
                        + " control character, and class names go into the submission; rename the folder"));
            }
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
        if (testFiles.containsKey(sample.columns().get(0))) {
            throw new DataException(List.of(sampleSubmission + ":1: the first line names a test image ('"
                    + sample.columns().get(0) + "'), not the columns; add a header line such as 'image_id,label'"));
        }
        List<String> ids = sample.ids();
        List<String> problems = new ArrayList<>();
        List<Path> test = new ArrayList<>();
        List<String> noFile = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            Path file = testFiles.get(ids.get(i));
            if (file == null) {
                noFile.add(sampleSubmission + ":" + sample.lines().get(i) + ": image id '" + ids.get(i)
                        + "' has no file in " + testFolder + "; add the image or remove the row");
            } else {
                test.add(file);
            }
        }
        Set<String> listed = new HashSet<>(ids);
        List<String> notListed = testFiles.keySet().stream().filter(id -> !listed.contains(id)).sorted()
                .map(id -> testFolder.resolve(id) + ": test image is not listed in " + sampleSubmission
                        + "; add a row for it or remove the file").toList();
        problems.addAll(atMost(noFile, "test ids with no file in " + testFolder));
        problems.addAll(atMost(notListed, "test images not listed in " + sampleSubmission));
        if (!problems.isEmpty()) {
            throw new DataException(problems);
        }
        return new PaddyData(vocabulary, train, test, ids, sample.columns());
    }

    /** The first {@link #LISTED} of {@code problems}, then how many more {@code what}. */
    private static List<String> atMost(List<String> problems, String what) {
        if (problems.size() <= LISTED) {
            return problems;
        }
        List<String> shown = new ArrayList<>(problems.subList(0, LISTED));
        shown.add("... and " + (problems.size() - LISTED) + " more " + what);
        return shown;
    }
}
