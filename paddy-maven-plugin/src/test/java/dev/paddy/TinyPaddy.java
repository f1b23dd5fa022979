package dev.paddy;

import dev.paddy.data.ImageFiles;
import dev.paddy.data.ItemImages;
import dev.paddy.data.ItemTransform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Small real data sets for tests: subsets of the example project's Fashion-MNIST images, copied
 * into the Paddy layout under a temporary folder, with a manifest written next to them.
 */
public final class TinyPaddy {
    public static final Path EXAMPLE_DATA = Path.of("..", "example-project", "data").toAbsolutePath().normalize();

    private TinyPaddy() {}

    /** Copies {@code perClass} training images of the first {@code classes} classes and {@code tests} test images. */
    public static Path create(Path dir, int classes, int perClass, int tests) throws IOException {
        Path data = dir.resolve("data");
        List<Path> labels;
        try (Stream<Path> folders = Files.list(EXAMPLE_DATA.resolve("train_images"))) {
            labels = folders.sorted().limit(classes).toList();
        }
        for (Path label : labels) {
            Path target = Files.createDirectories(data.resolve("train_images").resolve(label.getFileName()));
            try (Stream<Path> images = Files.list(label)) {
                for (Path image : images.sorted().limit(perClass).toList()) {
                    Files.copy(image, target.resolve(image.getFileName()));
                }
            }
        }
        Path testDir = Files.createDirectories(data.resolve("test_images"));
        List<String> sample = new ArrayList<>(List.of("image_id,label"));
        List<String> truth = new ArrayList<>(List.of("image_id,label"));
        List<String> allTruth = Files.readAllLines(EXAMPLE_DATA.resolve("test_labels.csv"));
        List<String> classNames = labels.stream().map(p -> p.getFileName().toString()).toList();
        for (String row : allTruth.subList(1, allTruth.size())) {
            String[] cells = row.split(",");
            if (sample.size() > tests) {
                break;
            }
            if (classNames.contains(cells[1])) {
                Files.copy(EXAMPLE_DATA.resolve("test_images").resolve(cells[0]), testDir.resolve(cells[0]));
                sample.add(cells[0] + ",");
                truth.add(row);
            }
        }
        Files.write(data.resolve("sample_submission.csv"), sample);
        Files.write(data.resolve("test_labels.csv"), truth);
        return data;
    }

    /** Decoded items of real images and their labels, in the same order. */
    public record LabelledItems(ItemImages items, int[] labels) {}

    /** The first {@code perClass} example training images of each of the first {@code classes} classes, decoded. */
    public static LabelledItems exampleItems(int classes, int perClass, ItemTransform transform) {
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<Path> folders = ImageFiles.subfolders(EXAMPLE_DATA.resolve("train_images"));
        for (int c = 0; c < classes; c++) {
            for (Path image : ImageFiles.list(folders.get(c)).subList(0, perClass)) {
                files.add(image);
                labels.add(c);
            }
        }
        return new LabelledItems(ItemImages.presize(files, transform, 2, n -> { }),
                labels.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Writes {@code paddy.yaml} into {@code dir}. */
    public static Path manifest(Path dir, String yaml) {
        try {
            return Files.writeString(dir.resolve("paddy.yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A minimal valid manifest over the data written by {@link #create}. */
    public static String minimalYaml(String membersAndRest) {
        return """
                data:
                  train: data/train_images
                  test: data/test_images
                  sample_submission: data/sample_submission.csv
                  test_labels: data/test_labels.csv
                """ + membersAndRest;
    }
}
