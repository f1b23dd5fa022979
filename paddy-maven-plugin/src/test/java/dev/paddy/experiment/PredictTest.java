package dev.paddy.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddy.TinyPaddy;
import dev.paddy.Training;
import dev.paddy.ensemble.Predictions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code paddy:predict} on a small real experiment (3 Fashion-MNIST classes, two members trained
 * with DJL): the test images predicted as a folder get the submission's labels and the ensemble's
 * probabilities, wherever they sit in the folder and whatever else is with them.
 */
@Training
class PredictTest {
    @TempDir
    static Path dir;

    static Experiment experiment;
    static CollectedLog log = new CollectedLog();
    static Map<String, float[]> ensemble = new HashMap<>();
    static Map<String, String> submitted = new HashMap<>();

    @BeforeAll
    static void trainAndSubmit() throws Exception {
        TinyPaddy.create(dir, 3, 24, 20);
        TinyPaddy.manifest(dir, TinyPaddy.minimalYaml("""
                defaults: {epochs: 2, batch_size: 16, item: {resize: squish, size: 20}, input_size: 16, seed: 5}
                members:
                  - name: res
                    arch: resnet18
                  - name: cnx
                    arch: convnext_atto
                    item: {resize: crop, size: 24}
                    weight: 2
                tta: {n: 2}
                """));
        experiment = Experiment.open(dir.resolve("paddy.yaml"), dir.resolve("target/paddy"), log);
        experiment.train(Set.of());
        experiment.tta(Set.of());
        experiment.ensemble();
        Path submission = experiment.submit();
        Predictions probs = Predictions.read(experiment.layout().ensemble(), "ensemble").orElseThrow();
        for (int i = 0; i < probs.ids().size(); i++) {
            ensemble.put(probs.ids().get(i), probs.probabilities()[i]);
        }
        List<String> rows = Files.readAllLines(submission);
        for (String row : rows.subList(1, rows.size())) {
            submitted.put(row.split(",")[0], row.split(",")[1]);
        }
    }

    @Test
    void theTestImagesFolderGetsTheSubmissionsLabelsAndTheEnsemblesProbabilities() throws Exception {
        FolderPredictions predicted = experiment.predict(dir.resolve("data/test_images"), null);
        assertEquals(experiment.layout().predicted("test_images"), predicted.csv());
        List<String> rows = Files.readAllLines(predicted.csv());
        assertEquals("image,label,probability", rows.get(0));
        assertEquals(submitted.size() + 1, rows.size(), "a row per test image");
        for (String row : rows.subList(1, rows.size())) {
            String[] cells = row.split(",");
            assertEquals(submitted.get(cells[0]), cells[1], cells[0]);
            float[] expected = ensemble.get(cells[0]);
            int label = experiment.data().vocabulary().indexOf(cells[1]);
            assertEquals(expected[label], Float.parseFloat(cells[2]), 1e-6, cells[0] + ": the label's probability");
        }
        for (int i = 0; i < predicted.ids().size(); i++) {
            assertArrayEquals(ensemble.get(predicted.ids().get(i)), predicted.probabilities()[i], 1e-5f,
                    predicted.ids().get(i));
        }
        assertTrue(log.has("res: TTA of 20 images in test_images x 3 passes"), String.join("\n", log.lines));
    }

    @Test
    void anImagesProbabilitiesDoNotDependOnWhereItSitsNorOnTheImagesBesideIt(@TempDir Path other) throws Exception {
        List<Path> tests;
        try (Stream<Path> files = Files.list(dir.resolve("data/test_images"))) {
            tests = files.sorted().toList();
        }
        // Every other test image, in reverse order under sub-folders, with a file that is not an image.
        Path folder = Files.createDirectories(other.resolve("field photos"));
        for (int i = tests.size() - 1; i >= 0; i -= 2) {
            Path sub = Files.createDirectories(folder.resolve(i % 4 == 1 ? "b" : "a"));
            Files.copy(tests.get(i), sub.resolve("z" + tests.get(i).getFileName()));
        }
        Files.writeString(folder.resolve("notes.txt"), "taken in March");
        Path csv = other.resolve("out/labels.csv");
        FolderPredictions predicted = experiment.predict(folder, csv);
        assertEquals(tests.size() / 2, predicted.ids().size());
        assertTrue(predicted.ids().get(0).startsWith("a/z"), predicted.ids().toString());
        for (int i = 0; i < predicted.ids().size(); i++) {
            String id = predicted.ids().get(i).substring("a/z".length());
            assertArrayEquals(ensemble.get(id), predicted.probabilities()[i], 1e-5f, predicted.ids().get(i));
        }
        assertEquals(predicted.ids().size() + 1, Files.readAllLines(csv).size());
        assertTrue(log.has("WARN 1 file(s) in " + folder + " are not images"), String.join("\n", log.lines));
    }

    @Test
    void aSelectedMemberPredictsAsItsOwnTtaDid() throws Exception {
        Path res;
        try (Stream<Path> files = Files.list(experiment.layout().root().resolve("predictions"))) {
            res = files.filter(f -> f.getFileName().toString().matches("res-[0-9a-f]+\\.probs")).findFirst().orElseThrow();
        }
        String key = res.getFileName().toString().replaceAll("^res-|\\.probs$", "");
        Predictions own = Predictions.read(res, experiment.members(Set.of("res")).get(0).keys().tta()).orElseThrow();
        assertTrue(experiment.members(Set.of("res")).get(0).keys().tta().startsWith(key));
        FolderPredictions predicted = experiment.predict(dir.resolve("data/test_images"), dir.resolve("res.csv"),
                Set.of("res"));
        for (int i = 0; i < predicted.ids().size(); i++) {
            assertArrayEquals(own.probabilities()[own.ids().indexOf(predicted.ids().get(i))],
                    predicted.probabilities()[i], 1e-5f, predicted.ids().get(i));
        }
    }

    @Test
    void anImageThatCannotBeReadIsNamedWithItsReasonAndNothingIsWritten(@TempDir Path other) throws Exception {
        Path folder = Files.createDirectories(other.resolve("new"));
        try (Stream<Path> files = Files.list(dir.resolve("data/test_images"))) {
            Path first = files.sorted().findFirst().orElseThrow();
            Files.copy(first, folder.resolve(first.getFileName()));
        }
        Files.writeString(folder.resolve("broken.jpg"), "this is text, not a JPEG");
        Path csv = other.resolve("labels.csv");
        ExperimentException e = assertThrows(ExperimentException.class, () -> experiment.predict(folder, csv));
        assertTrue(e.getMessage().startsWith("1 image(s) in " + folder + " cannot be read, and every image there needs a"
                + " prediction; replace, re-export or remove them:\n  " + folder.resolve("broken.jpg") + ": "),
                e.getMessage());
        assertFalse(Files.exists(csv));
    }
}
