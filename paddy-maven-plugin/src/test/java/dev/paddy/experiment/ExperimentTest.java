package dev.paddy.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddy.TinyPaddy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole recipe through the plain Java API, on a tiny real data set with real DJL training. */
class ExperimentTest {
    @TempDir
    Path dir;

    static final String MEMBERS = """
            defaults:
              epochs: 1
              batch_size: 16
              item: {resize: squish, size: 20}
              input_size: 16
              seed: 3
            members:
              - name: res
                arch: resnet18
              - name: cnx
                arch: convnext_atto
                accum: 2
                weight: %s
            tta: {n: 2}
            """;

    static final class Collected implements ExperimentLog {
        final List<String> lines = new ArrayList<>();

        @Override
        public void info(String message) {
            lines.add(message);
        }

        @Override
        public void warn(String message) {
            lines.add("WARN " + message);
        }

        boolean has(String fragment) {
            return lines.stream().anyMatch(l -> l.contains(fragment));
        }
    }

    @Test
    void trainsPredictsEnsemblesAndSubmitsThenReusesEverything() throws Exception {
        TinyPaddy.create(dir, 3, 16, 9);
        Path manifest = TinyPaddy.manifest(dir, TinyPaddy.minimalYaml(MEMBERS.formatted("2")));
        Path out = dir.resolve("target/paddy");
        Collected log = new Collected();

        Experiment experiment = Experiment.open(manifest, out, log);
        assertEquals(2, experiment.train(Set.of()));
        assertTrue(log.has("res epoch 1/1  train_loss"), log.lines.toString());
        assertEquals(2, experiment.tta(Set.of()));
        Experiment.EnsembleResult result = experiment.ensemble();
        assertEquals(9, result.probabilities().length);
        Path submission = experiment.submit();

        List<String> rows = Files.readAllLines(submission);
        List<String> sample = Files.readAllLines(dir.resolve("data/sample_submission.csv"));
        assertEquals("image_id,label", rows.get(0));
        assertEquals(sample.size(), rows.size());
        for (int i = 1; i < rows.size(); i++) {
            String[] cells = rows.get(i).split(",");
            assertEquals(sample.get(i).split(",")[0], cells[0], "sample submission order");
            assertTrue(experiment.data().vocabulary().contains(cells[1]), cells[1]);
        }
        assertTrue(Files.isRegularFile(out.resolve("members/res/checkpoint/epoch-1.params")));
        assertTrue(Files.isRegularFile(out.resolve("members/res/checkpoint/epoch-1.optimizer")));

        // A second run trains and predicts nothing.
        Collected again = new Collected();
        Experiment rerun = Experiment.open(manifest, out, again);
        assertEquals(0, rerun.train(Set.of()));
        assertEquals(0, rerun.tta(Set.of()));
        assertTrue(again.has("res: cached"), again.lines.toString());

        // Re-weighting a member recomputes only the ensemble.
        TinyPaddy.manifest(dir, TinyPaddy.minimalYaml(MEMBERS.formatted("1")));
        Experiment reweighted = Experiment.open(manifest, out, new Collected());
        assertEquals(0, reweighted.train(Set.of()));
        assertEquals(0, reweighted.tta(Set.of()));
        reweighted.ensemble();
    }

    @Test
    void unreadableTestImagesFailBeforeTrainingAndNameEveryFile() throws Exception {
        Path data = TinyPaddy.create(dir, 2, 4, 4);
        List<String> sample = Files.readAllLines(data.resolve("sample_submission.csv"));
        Path broken = data.resolve("test_images").resolve(sample.get(1).split(",")[0]);
        Files.writeString(broken, "truncated");
        Path manifest = TinyPaddy.manifest(dir, TinyPaddy.minimalYaml(MEMBERS.formatted("1")));
        Experiment experiment = Experiment.open(manifest, dir.resolve("out"), new Collected());
        ExperimentException e = assertThrows(ExperimentException.class, () -> experiment.train(Set.of()));
        assertEquals("1 test image(s) cannot be read, and every test image needs a prediction; replace or re-export"
                + " them:\n  " + broken + ": not a readable image (no decoder recognised its content)", e.getMessage());
        assertFalse(Files.exists(dir.resolve("out/members")), "nothing was trained");
    }

    @Test
    void undecodableTrainingImagesAreSkippedAndCounted() throws Exception {
        Path data = TinyPaddy.create(dir, 2, 8, 4);
        Path label = Files.list(data.resolve("train_images")).sorted().findFirst().orElseThrow();
        Path broken = Files.writeString(label.resolve("999999.png"), "not a png");
        Path manifest = TinyPaddy.manifest(dir, TinyPaddy.minimalYaml(MEMBERS.formatted("1")));
        Collected log = new Collected();
        Experiment experiment = Experiment.open(manifest, dir.resolve("out"), log);
        assertEquals(1, experiment.train(Set.of("res")));
        assertTrue(log.has("WARN skipped training image " + broken + ": not a readable image"), log.lines.toString());
        assertTrue(log.has("WARN 1 training image(s) could not be decoded and are skipped"), log.lines.toString());
        ExperimentException unknown = assertThrows(ExperimentException.class, () -> experiment.train(Set.of("rse")));
        assertTrue(unknown.getMessage().startsWith("no member named 'rse'"), unknown.getMessage());
    }
}
