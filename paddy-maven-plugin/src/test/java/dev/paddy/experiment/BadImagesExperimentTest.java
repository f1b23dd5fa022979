package dev.paddy.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddy.TinyPaddy;
import dev.paddy.data.ImageCorpus;
import dev.paddy.data.ImageCorpus.Case;
import dev.paddy.data.ItemImages;
import dev.paddy.data.ItemTransform;
import dev.paddy.manifest.ManifestException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's image corpus where a build meets it, without training anything: in a class folder
 * the unusable images are skipped, each named once with its reason and counted, also when the
 * item cache is reused; in the test folder they fail the build before any probe or training,
 * all listed; a class left with no usable image fails before training; an empty class folder is
 * a manifest problem; files that are not images are named as ignored, system files aside.
 */
class BadImagesExperimentTest {
    private static final String MEMBERS = """
            defaults:
              epochs: 1
              batch_size: 4
              item: {resize: squish, size: 16}
              input_size: 16
              seed: 1
            members:
              - name: res
                arch: resnet18
            """;
    private static final ItemTransform ITEM = new ItemTransform(ItemTransform.Resize.SQUISH, 16);

    @TempDir
    Path dir;

    /** Writes every case into {@code folder}; the reason for each file paddy must refuse, by file name. */
    private static Map<String, String> writeCorpus(Path folder) throws Exception {
        Map<String, String> reasons = new HashMap<>();
        for (Case c : ImageCorpus.cases()) {
            Path file = c.writeTo(folder);
            if (c.outcome() instanceof ImageCorpus.Refused && c.unbuildable(file) == null) {
                reasons.put(file.getFileName().toString(), ImageCorpus.reason(c, file));
            }
        }
        // The loop's other link is a file of the folder too, refused for the same loop seen from it.
        reasons.put("loop-b.jpg", "symbolic link loop (loop-b.jpg -> loop-a.jpg -> loop-b.jpg): point the link at an image"
                + " or remove it");
        return reasons;
    }

    private Experiment open(CollectedLog log) throws Exception {
        return Experiment.open(dir.resolve("paddy.yaml"), dir.resolve("target/paddy"), log);
    }

    @Test
    void unusableTestImagesFailTheBuildBeforeAnyProbeOrTrainingListingEveryOne() throws Exception {
        Path data = TinyPaddy.create(dir, 2, 4, 2);
        Path tests = data.resolve("test_images");
        Map<String, String> reasons = writeCorpus(tests);
        List<String> sample = new ArrayList<>(Files.readAllLines(data.resolve("sample_submission.csv")));
        try (Stream<Path> files = Files.list(tests)) {
            files.map(f -> f.getFileName().toString()).filter(name -> !sample.contains(name + ",")).sorted()
                    .forEach(name -> sample.add(name + ","));
        }
        Files.write(data.resolve("sample_submission.csv"), sample);
        // Test labels are checked when the experiment opens (a label for every test image): give the corpus one.
        List<String> labels = new ArrayList<>(Files.readAllLines(data.resolve("test_labels.csv")));
        String someClass = labels.get(1).substring(labels.get(1).indexOf(',') + 1);
        for (String row : sample.subList(1, sample.size())) {
            String name = row.substring(0, row.length() - 1);
            if (labels.stream().noneMatch(l -> l.startsWith(name + ","))) {
                labels.add(name + "," + someClass);
            }
        }
        Files.write(data.resolve("test_labels.csv"), labels);
        List<String> expected = new ArrayList<>();
        for (String row : sample.subList(1, sample.size())) {
            String name = row.substring(0, row.length() - 1);
            if (reasons.containsKey(name)) {
                expected.add(tests.resolve(name) + ": " + reasons.get(name));
            }
        }
        // With a budget, train probes memory first: the test images are checked before that too.
        TinyPaddy.manifest(dir, TinyPaddy.minimalYaml("budget: 16GiB\n" + MEMBERS));
        Experiment experiment = open(new CollectedLog());
        ExperimentException e = assertThrows(ExperimentException.class, () -> experiment.train(Set.of()));
        assertEquals(expected.size() + " test image(s) cannot be read, and every test image needs a prediction; replace"
                + " or re-export them:\n  " + String.join("\n  ", expected), e.getMessage());
        assertEquals(reasons.size(), expected.size(), "every refused file is listed");
        assertFalse(Files.exists(dir.resolve("target/paddy/probes")), "nothing was probed");
        assertFalse(Files.exists(dir.resolve("target/paddy/members")), "nothing was trained");
    }

    @Test
    void unusableTrainingImagesAreSkippedEachNamedOnceAndCountedAlsoFromTheCache() throws Exception {
        Path data = TinyPaddy.create(dir, 2, 4, 2);
        List<Path> classes;
        try (Stream<Path> folders = Files.list(data.resolve("train_images"))) {
            classes = folders.sorted().toList();
        }
        Map<String, String> reasons = writeCorpus(classes.get(0));
        for (String other : List.of("notes.txt", "photo.webp", ".DS_Store", "Thumbs.db", "desktop.ini")) {
            Files.writeString(classes.get(1).resolve(other), "not an image");
        }
        TinyPaddy.manifest(dir, TinyPaddy.minimalYaml(MEMBERS));
        CollectedLog log = new CollectedLog();
        Experiment experiment = open(log);
        assertTrue(log.lines.contains("WARN 2 file(s) in the data folders are not images (jpg, jpeg, png, bmp, gif) and"
                + " are ignored:\n  " + classes.get(1).resolve("notes.txt") + "\n  " + classes.get(1).resolve("photo.webp")
                + " (WebP: convert it to PNG or JPEG to use it)"), log.lines.toString());

        List<String> expected = new ArrayList<>();
        for (Path file : experiment.data().trainFiles()) {
            String reason = reasons.get(file.getFileName().toString());
            if (reason != null) {
                expected.add("WARN skipped training image " + file + ": " + reason);
            }
        }
        expected.add("WARN " + reasons.size() + " training image(s) could not be decoded and are skipped");
        for (int build = 1; build <= 2; build++) { // the second maps the item cache: the same names, the same count
            CollectedLog decoding = new CollectedLog();
            ItemImages items = new ItemCache(experiment.data(), dir.resolve("target/paddy/items"), 2, decoding)
                    .training(ITEM);
            assertEquals(build == 2, items.fromCache());
            assertEquals(expected, decoding.lines.stream().filter(l -> l.startsWith("WARN")).toList(), "build " + build);
            assertTrue(decoding.lines.stream().noneMatch(l -> l.isBlank() || l.endsWith("\n")), decoding.lines.toString());
            int missing = 0;
            for (int i = 0; i < items.count(); i++) {
                missing += items.isMissing(i) ? 1 : 0;
            }
            assertEquals(reasons.size(), missing);
        }
    }

    @Test
    void aClassWithNoUsableImageFailsBeforeTraining() throws Exception {
        Path data = TinyPaddy.create(dir, 2, 4, 2);
        Path label;
        try (Stream<Path> folders = Files.list(data.resolve("train_images"))) {
            label = folders.sorted().findFirst().orElseThrow();
        }
        try (Stream<Path> images = Files.list(label)) {
            for (Path image : images.toList()) {
                Files.delete(image);
            }
        }
        ImageCorpus.named("zero-byte file").writeTo(label);
        ImageCorpus.named("truncated JPEG").writeTo(label);
        TinyPaddy.manifest(dir, TinyPaddy.minimalYaml(MEMBERS));
        CollectedLog log = new CollectedLog();
        Experiment experiment = open(log);
        ExperimentException e = assertThrows(ExperimentException.class, () -> experiment.train(Set.of()));
        assertEquals("1 class(es) have no training image that can be used (each skipped image is named above with its"
                + " reason); replace the images or remove the folder:\n  class '" + label.getFileName() + "': none of its 2"
                + " image(s) can be used", e.getMessage());
        assertTrue(log.has("WARN 2 training image(s) could not be decoded and are skipped"), log.lines.toString());
        assertEquals(List.of(), log.runs(StageId.TRAIN), "no member started");
        assertFalse(Files.exists(dir.resolve("target/paddy/members")), "nothing was trained");
    }

    @Test
    void aClassFolderWithNoImageIsAManifestProblemSystemAndHiddenFilesDoNotCount() throws Exception {
        Path data = TinyPaddy.create(dir, 2, 4, 2);
        Path empty = Files.createDirectories(data.resolve("train_images").resolve("zz_empty"));
        Files.writeString(empty.resolve(".DS_Store"), "x");
        Files.writeString(empty.resolve("._photo.jpg"), "x"); // macOS's companion of a photo, not a photo
        Files.writeString(empty.resolve("Thumbs.db"), "x");
        TinyPaddy.manifest(dir, TinyPaddy.minimalYaml(MEMBERS));
        ManifestException e = assertThrows(ManifestException.class, () -> open(new CollectedLog()));
        assertTrue(e.getMessage().contains("data.train: class folder 'zz_empty' has no images (jpg, jpeg, png, bmp, gif);"
                + " add images or remove the folder"), e.getMessage());
    }
}
