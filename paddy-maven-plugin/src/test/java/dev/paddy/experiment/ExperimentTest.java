package dev.paddy.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddy.TinyPaddy;
import dev.paddy.ensemble.Predictions;
import dev.paddy.manifest.MemberSpec;
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
        assertTrue(Files.isRegularFile(out.resolve("members/res/model.params")));
        assertFalse(Files.exists(out.resolve("members/res/checkpoint")), "checkpoints go once the weights are written");
        assertTrue(log.has("res: trains (new)"), log.lines.toString());
        assertTrue(log.has("res: TTA runs (new)"), log.lines.toString());
        byte[] firstSubmission = Files.readAllBytes(submission);

        // A second run trains and predicts nothing.
        Collected again = new Collected();
        Experiment rerun = Experiment.open(manifest, out, again);
        assertEquals(0, rerun.train(Set.of()));
        assertEquals(0, rerun.tta(Set.of()));
        assertTrue(again.has("res: cached"), again.lines.toString());
        assertTrue(again.has("cnx: cached"), again.lines.toString());

        // Re-weighting a member recomputes only the ensemble.
        TinyPaddy.manifest(dir, TinyPaddy.minimalYaml(MEMBERS.formatted("1")));
        Collected reweightedLog = new Collected();
        Experiment reweighted = Experiment.open(manifest, out, reweightedLog);
        assertEquals(0, reweighted.train(Set.of()));
        assertEquals(0, reweighted.tta(Set.of()));
        reweighted.ensemble();
        assertFalse(reweightedLog.has("trains ("), reweightedLog.lines.toString());

        // Changing tta.n predicts again, trains nothing, and says why.
        TinyPaddy.manifest(dir, TinyPaddy.minimalYaml(MEMBERS.formatted("1").replace("tta: {n: 2}", "tta: {n: 3}")));
        Collected ttaLog = new Collected();
        Experiment moreTta = Experiment.open(manifest, out, ttaLog);
        assertEquals(0, moreTta.train(Set.of()));
        assertEquals(2, moreTta.tta(Set.of()));
        assertTrue(ttaLog.has("res: TTA runs (config changed: tta.n 2 -> 3)"), ttaLog.lines.toString());

        // Back to n: 2: each key has its own predictions file, so going back costs nothing.
        TinyPaddy.manifest(dir, TinyPaddy.minimalYaml(MEMBERS.formatted("2")));
        Experiment back = Experiment.open(manifest, out, new Collected());
        assertEquals(0, back.train(Set.of()));
        assertEquals(0, back.tta(Set.of()));
        back.ensemble();
        assertArrayEquals(firstSubmission, Files.readAllBytes(back.submit()), "same inputs, same bytes");

        // A member added trains alone; a changed lr retrains that member and says what changed.
        String added = MEMBERS.formatted("2").replace("tta: {n: 2}", """
                  - name: res2
                    arch: resnet18
                    seed: 4
                tta: {n: 2}
                """).replace("    arch: resnet18\n  - name: cnx", "    arch: resnet18\n    lr: 0.002\n  - name: cnx");
        TinyPaddy.manifest(dir, TinyPaddy.minimalYaml(added));
        Collected addedLog = new Collected();
        Experiment grown = Experiment.open(manifest, out, addedLog);
        assertEquals(2, grown.train(Set.of()));
        assertTrue(addedLog.has("res2: trains (new)"), addedLog.lines.toString());
        assertTrue(addedLog.has("res: trains (config changed: lr 0.001 -> 0.002)"), addedLog.lines.toString());
        assertTrue(addedLog.has("cnx: cached"), addedLog.lines.toString());

        // Damaged cache entries are detected, reported and recomputed, never used.
        MemberSpec res2 = grown.members(Set.of("res2")).get(0);
        assertEquals(2, grown.tta(Set.of()));
        Path probs = grown.predictionsFile(res2);
        byte[] bytes = Files.readAllBytes(probs);
        Files.write(probs, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Path weights = out.resolve("members/res2/model.params");
        byte[] model = Files.readAllBytes(weights);
        model[model.length / 2] ^= 0x55;
        Files.write(weights, model);
        Collected damagedLog = new Collected();
        Experiment damaged = Experiment.open(manifest, out, damagedLog);
        assertEquals(1, damaged.train(Set.of()));
        assertTrue(damagedLog.has("res2: trains (weights file damaged"), damagedLog.lines.toString());
        assertTrue(damagedLog.has("WARN " + probs + ": truncated") || damagedLog.has("WARN " + probs + ": checksum mismatch"),
                damagedLog.lines.toString());
        assertEquals(1, damaged.tta(Set.of()));
        assertTrue(Predictions.read(probs, damaged.ttaKey(res2)).isPresent());
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
