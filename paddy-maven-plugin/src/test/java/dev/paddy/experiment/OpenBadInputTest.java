package dev.paddy.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.paddy.data.DataException;
import dev.paddy.manifest.SeedPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 12: what needs the manifest and the data together is refused when the experiment opens,
 * before any training: a valid_pct that leaves a class without a training image (or no
 * validation image at all), and test labels that do not fit the test set or the classes. The data
 * is generated (empty files named .jpg: nothing is decoded before these checks). {manifest},
 * {data} and {seed:member} stand for the manifest's path, the data folder and a member's seed.
 */
class OpenBadInputTest {
    @TempDir
    Path dir;

    static Arguments refused(String name, Map<String, Integer> classes, String validPct, String testLabels,
                             String... problems) {
        return Arguments.of(name, classes, validPct, testLabels, List.of(problems));
    }

    static Stream<Arguments> cases() {
        String labels = "image_id,label\nt1.jpg,cat\nt2.jpg,dog\n";
        return Stream.of(
                refused("valid_pct leaves no training image at all", Map.of("cat", 2, "dog", 1), "0.9", labels,
                        "{manifest}: data.valid_pct 0.9 leaves class 'cat' (2 images) with no training image in the"
                                + " split of member 'a' (seed {seed:a}); lower valid_pct or add images to {data}/train/cat",
                        "{manifest}: data.valid_pct 0.9 leaves class 'dog' (1 image) with no training image in the"
                                + " split of member 'a' (seed {seed:a}); lower valid_pct or add images to {data}/train/dog",
                        "{manifest}: data.valid_pct 0.9 leaves class 'cat' (2 images) with no training image in the"
                                + " split of member 'b' (seed {seed:b}); lower valid_pct or add images to {data}/train/cat",
                        "{manifest}: data.valid_pct 0.9 leaves class 'dog' (1 image) with no training image in the"
                                + " split of member 'b' (seed {seed:b}); lower valid_pct or add images to {data}/train/dog"),
                refused("valid_pct leaves no validation image", Map.of("cat", 2, "dog", 2), "0.1", labels,
                        "{manifest}: data.valid_pct 0.1 of 4 training images is not one validation image; raise"
                                + " valid_pct or add images"),
                refused("a test label never seen in training", Map.of("cat", 20, "dog", 20), "0.2",
                        "image_id,label\nt1.jpg,cat\nt2.jpg,cow\n",
                        "{data}/test_labels.csv:3: label 'cow' is not a class of the training data; classes (the"
                                + " folders of data.train): cat, dog"),
                refused("a test image without a label", Map.of("cat", 20, "dog", 20), "0.2",
                        "image_id,label\nt1.jpg,cat\n",
                        "{data}/test_labels.csv: no label for test image 't2.jpg'; add a row image_id,label for every"
                                + " test image"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedWhenTheExperimentOpens(String name, Map<String, Integer> classes, String validPct, String testLabels,
                                         List<String> expected) throws IOException {
        Path data = dir.resolve("data");
        classes.forEach((label, count) -> {
            for (int i = 0; i < count; i++) {
                touch(data.resolve("train").resolve(label).resolve(label + i + ".jpg"));
            }
        });
        touch(data.resolve("test/t1.jpg"));
        touch(data.resolve("test/t2.jpg"));
        Files.writeString(data.resolve("sample_submission.csv"), "image_id,label\nt1.jpg,\nt2.jpg,\n");
        Files.writeString(data.resolve("test_labels.csv"), testLabels);
        Path manifest = Files.writeString(dir.resolve("paddy.yaml"), """
                data:
                  train: data/train
                  test: data/test
                  sample_submission: data/sample_submission.csv
                  test_labels: data/test_labels.csv
                  valid_pct: %s
                defaults: {seed: 7}
                members:
                  - {name: a, arch: resnet18}
                  - {name: b, arch: resnet18}
                """.formatted(validPct));
        Path out = dir.resolve("out");
        DataException e = assertThrows(DataException.class, () -> Experiment.open(manifest, out, new CollectedLog()));
        Seeds seeds = new Seeds(dir.resolve("unused-seeds.properties"));
        List<String> wanted = expected.stream().map(line -> {
            try {
                return line.replace("{manifest}", manifest.toString()).replace("{data}", data.toString())
                        .replace("{seed:a}", Long.toString(seeds.seedFor("a", SeedPolicy.fixed(7))))
                        .replace("{seed:b}", Long.toString(seeds.seedFor("b", SeedPolicy.fixed(7))));
            } catch (IOException io) {
                throw new AssertionError(io);
            }
        }).toList();
        assertEquals(wanted, e.problems(), name);
        assertFalse(Files.exists(out.resolve("members")), "nothing was trained");
    }

    /** Issue 22, item 11: a class name a spreadsheet would run as a formula is written as it is, with a warning. */
    @Test
    void classNamesThatASpreadsheetWouldRunAreWarnedAbout() throws Exception {
        Path data = dir.resolve("data");
        for (String label : List.of("=HYPERLINK(x)", "-1", "@cat", "dog")) {
            for (int i = 0; i < 5; i++) {
                touch(data.resolve("train").resolve(label).resolve("i" + i + ".jpg"));
            }
        }
        touch(data.resolve("test/t1.jpg"));
        Files.writeString(data.resolve("sample_submission.csv"), "image_id,label\nt1.jpg,\n");
        Path manifest = Files.writeString(dir.resolve("paddy.yaml"), """
                data: {train: data/train, test: data/test, sample_submission: data/sample_submission.csv}
                members:
                  - {name: a, arch: resnet18}
                """);
        CollectedLog log = new CollectedLog();
        Experiment.open(manifest, dir.resolve("out"), log);
        assertEquals(List.of("WARN class name(s) '=HYPERLINK(x)', '@cat' start with '=', '+', '-' or '@': Kaggle reads"
                + " them as text, but a spreadsheet opening the submission may run them as formulas; rename them if the"
                + " CSV will be opened in one"), log.lines.stream().filter(l -> l.startsWith("WARN")).toList(),
                "'-1' is a number, not a formula");
    }

    private static void touch(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, new byte[0]);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
