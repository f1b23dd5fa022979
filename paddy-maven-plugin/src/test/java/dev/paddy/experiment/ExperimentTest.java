package dev.paddy.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddy.TinyPaddy;
import dev.paddy.Training;
import dev.paddy.data.ImageCorpus;
import dev.paddy.ensemble.Predictions;
import dev.paddy.experiment.StageReport.Outcome;
import dev.paddy.io.Json;
import dev.paddy.report.ReportModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole recipe through the plain Java API on a small real data set (3 Fashion-MNIST classes,
 * real DJL training), one behaviour per test. The experiment is trained once; each test works on
 * its own copy of that project and its output folder.
 */
@Training
class ExperimentTest {
    @TempDir
    static Path trained;

    @TempDir
    Path dir;

    static final String MEMBERS = """
            defaults:
              epochs: 3
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

    static EnsembleResult first;
    static StageReport firstTraining;
    static StageReport firstTta;

    @BeforeAll
    static void trainOnce() throws Exception {
        TinyPaddy.create(trained, 3, 40, 30);
        manifest(trained, "2");
        Experiment experiment = open(trained, new CollectedLog());
        firstTraining = experiment.train(Set.of());
        firstTta = experiment.tta(Set.of());
        first = experiment.ensemble();
        experiment.submit();
    }

    @Test
    void theFirstBuildTrainsAndPredictsEveryMemberAndTheEnsembleLearnedTheClasses() throws Exception {
        assertEquals(List.of(new StageReport.Entry("res", Outcome.RAN, new Reason.New()),
                        new StageReport.Entry("cnx", Outcome.RAN, new Reason.New())),
                firstTraining.members());
        assertEquals(List.of("res", "cnx"), firstTta.ran());
        assertTrue(Files.isRegularFile(trained.resolve("target/paddy/members/res/model.params")));
        assertFalse(Files.exists(trained.resolve("target/paddy/members/res/checkpoint")), "checkpoints go once the weights are written");
        // 3 classes, 30 test images: chance is 1/3. Three epochs on 96 images learn the classes.
        System.out.printf("test accuracy: res %.3f, cnx %.3f, ensemble %.3f%n", first.memberAccuracy().get("res"),
                first.memberAccuracy().get("cnx"), first.accuracy());
        assertTrue(first.accuracy() >= 0.7, "ensemble accuracy " + first.accuracy());
    }

    @Test
    void theReportModelHoldsWhatEveryStageRecordedWithoutRunningAnything() throws Exception {
        copyTrained();
        Experiment experiment = open(dir, new CollectedLog());
        ReportModel model = experiment.reportModel();
        assertEquals(List.of("train", "tta", "ensemble", "submit"), model.stages().stream().map(ReportModel.StageRun::stage).toList());
        assertEquals(List.of(new ReportModel.Outcome("res", "ran", "new"), new ReportModel.Outcome("cnx", "ran", "new")),
                model.stages().get(0).members());
        assertEquals(2, model.ensemble().members().size());
        assertEquals(first.accuracy(), model.ensemble().accuracy());
        ReportModel.Member res = model.members().get(0);
        assertEquals(List.of("ankle_boot", "bag", "coat"), res.vocabulary());
        assertEquals(3, res.epochs().size());
        // 120 images, 20% valid: 96 to train, 6 windows of 16 an epoch, 3 epochs.
        assertEquals(18, res.schedule().size());
        assertEquals(0.001 / 25, res.schedule().get(0).lrs().get(0), 1e-12, "one-cycle starts at lr / 25");
        assertEquals(24, java.util.Arrays.stream(res.confusion()).flatMapToInt(java.util.Arrays::stream).sum(),
                "the confusion matrix counts every validation image");
        assertEquals(9, res.topLosses().size());
        assertTrue(res.topLosses().get(0).loss() >= res.topLosses().get(8).loss(), "largest loss first");
        assertTrue(Files.isRegularFile(res.topLosses().get(0).image()), res.topLosses().get(0).image().toString());
        assertTrue(res.trainedBy().contains(System.getProperty("user.name")), res.trainedBy());
        assertEquals(List.of(), experiment.train(Set.of()).ran(), "nothing was trained for the report");
    }

    @Test
    void theSubmissionHasEveryTestImageInTheSampleOrderWithAKnownLabel() throws Exception {
        List<String> rows = Files.readAllLines(trained.resolve("target/paddy/submission.csv"));
        List<String> sample = Files.readAllLines(trained.resolve("data/sample_submission.csv"));
        List<String> vocabulary = List.of("ankle_boot", "bag", "coat");
        assertEquals("image_id,label", rows.get(0));
        assertEquals(sample.size(), rows.size());
        for (int i = 1; i < rows.size(); i++) {
            String[] cells = rows.get(i).split(",");
            assertEquals(sample.get(i).split(",")[0], cells[0], "sample submission order");
            assertTrue(vocabulary.contains(cells[1]), cells[1]);
        }
    }

    @Test
    void aRerunTrainsAndPredictsNothingAndWritesTheSameBytes() throws Exception {
        copyTrained();
        byte[] before = Files.readAllBytes(dir.resolve("target/paddy/submission.csv"));
        Experiment rerun = open(dir, new CollectedLog());
        StageReport training = rerun.train(Set.of());
        assertEquals(List.of(), training.ran());
        assertEquals(Outcome.CACHED, training.of("res").orElseThrow().outcome());
        Reason why = training.of("res").orElseThrow().why();
        assertTrue(why instanceof Reason.Kept && why.text().startsWith("weights for key "), training.toString());
        assertEquals(List.of(), rerun.tta(Set.of()).ran());
        rerun.ensemble();
        assertArrayEquals(before, Files.readAllBytes(rerun.submit()), "same inputs, same bytes");
    }

    @Test
    void reweightingAMemberRecomputesOnlyTheEnsemble() throws Exception {
        copyTrained();
        manifest(dir, "1");
        Experiment reweighted = open(dir, new CollectedLog());
        assertEquals(List.of(), reweighted.train(Set.of()).ran());
        assertEquals(List.of(), reweighted.tta(Set.of()).ran());
        EnsembleResult result = reweighted.ensemble();
        assertEquals(first.memberAccuracy(), result.memberAccuracy(), "the members' predictions are the cached ones");
        assertFalse(java.util.Arrays.deepEquals(first.probabilities(), result.probabilities()), "weights 2 -> 1 moved the mean");
    }

    @Test
    void changingTtaNPredictsAgainTrainsNothingAndGoingBackIsFree() throws Exception {
        copyTrained();
        byte[] before = Files.readAllBytes(dir.resolve("target/paddy/submission.csv"));
        Files.writeString(dir.resolve("paddy.yaml"), Files.readString(dir.resolve("paddy.yaml")).replace("tta: {n: 2}", "tta: {n: 3}"));
        Experiment moreTta = open(dir, new CollectedLog());
        assertEquals(List.of(), moreTta.train(Set.of()).ran());
        StageReport tta = moreTta.tta(Set.of());
        assertEquals(new StageReport.Entry("res", Outcome.RAN, new Reason.Changed("config changed: tta.n 2 -> 3")),
                tta.of("res").orElseThrow());
        assertEquals(List.of("res", "cnx"), tta.ran());

        manifest(dir, "2");
        Experiment back = open(dir, new CollectedLog());
        assertEquals(List.of(), back.train(Set.of()).ran());
        assertEquals(List.of(), back.tta(Set.of()).ran(), "each TTA key keeps its own predictions file");
        back.ensemble();
        assertArrayEquals(before, Files.readAllBytes(back.submit()), "same inputs, same bytes");
    }

    @Test
    void anAddedMemberTrainsAloneAndAChangedLrRetrainsSayingWhatChanged() throws Exception {
        copyTrained();
        String added = MEMBERS.formatted("2").replace("tta: {n: 2}", """
                  - name: res2
                    arch: resnet18
                    seed: 4
                tta: {n: 2}
                """).replace("    arch: resnet18\n  - name: cnx", "    arch: resnet18\n    lr: 0.002\n  - name: cnx");
        TinyPaddy.manifest(dir, TinyPaddy.minimalYaml(added));
        StageReport training = open(dir, new CollectedLog()).train(Set.of());
        assertEquals(List.of(new StageReport.Entry("res", Outcome.RAN, new Reason.Changed("config changed: lr 0.001 -> 0.002")),
                new StageReport.Entry("cnx", Outcome.CACHED, training.of("cnx").orElseThrow().why()),
                new StageReport.Entry("res2", Outcome.RAN, new Reason.New())), training.members());
    }

    @Test
    void damagedPredictionsAndWeightsAreReportedAndRecomputedNeverUsed() throws Exception {
        copyTrained();
        Experiment experiment = open(dir, new CollectedLog());
        ResolvedMember res = experiment.members(Set.of("res")).get(0);
        Path probs = experiment.layout().predictions("res", res.keys().tta());
        byte[] bytes = Files.readAllBytes(probs);
        Files.write(probs, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Path weights = experiment.layout().model("res");
        byte[] model = Files.readAllBytes(weights);
        model[model.length / 2] ^= 0x55;
        Files.write(weights, model);

        CollectedLog log = new CollectedLog();
        Experiment damaged = open(dir, log);
        StageReport training = damaged.train(Set.of());
        assertEquals(List.of("res"), training.ran());
        Reason why = training.of("res").orElseThrow().why();
        assertTrue(why instanceof Reason.Damaged damagedFile && damagedFile.file().equals(weights)
                && why.text().startsWith("weights file damaged: " + weights + ": size:CRC32C "), training.toString());
        assertEquals(List.of(new StageEvent.Runs(StageId.TRAIN, "res", why)), log.runs(StageId.TRAIN));
        assertTrue(log.has("WARN res: trains (weights file damaged: " + weights + ": size:CRC32C "), log.lines.toString());
        assertTrue(log.has("WARN " + probs + ": checksum mismatch (truncated or modified); it will be recomputed"),
                log.lines.toString());
        assertEquals(List.of("res"), damaged.tta(Set.of()).ran());
        assertTrue(Predictions.read(probs, res.keys().tta()).isPresent());
    }

    @Test
    void aDivergedMemberIsRefusedBeforeTheEnsembleWithItsNameAndLr() throws Exception {
        copyTrained();
        Path submission = dir.resolve("target/paddy/submission.csv");
        byte[] before = Files.readAllBytes(submission);
        Experiment experiment = open(dir, new CollectedLog());
        ResolvedMember res = experiment.members(Set.of("res")).get(0);
        Path probs = experiment.layout().predictions("res", res.keys().tta());
        Predictions good = Predictions.read(probs, res.keys().tta()).orElseThrow();
        float[][] diverged = new float[good.ids().size()][];
        for (int i = 0; i < diverged.length; i++) {
            diverged[i] = good.probabilities()[i].clone();
            diverged[i][i % 3] = i % 2 == 0 ? Float.NaN : Float.POSITIVE_INFINITY;
        }
        new Predictions(good.key(), good.ids(), good.vocabulary(), diverged).write(probs); // whole: its checksum holds

        ExperimentException e = assertThrows(ExperimentException.class, experiment::ensemble);
        assertEquals("member 'res': its TTA predictions are NaN or infinite for 30 of 30 test images, so its training"
                + " diverged; the likely cause is its learning rate (lr 0.001) being too high: lower 'lr:' for it, or"
                + " use 'lr: find', and build again (or leave it out of 'ensemble.members'). Nothing was ensembled or"
                + " submitted", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(submission), "the last submission stays as it was");
        assertThrows(IllegalArgumentException.class, () -> dev.paddy.ensemble.WeightedMean.combine(List.<float[][]>of(diverged),
                List.of(1.0)), "the mean refuses them too, rather than an argmax of class 0");
    }

    @Test
    void theLeaderboardShowsOnlyTheValidErrorOfTheCurrentConfiguration() throws Exception {
        copyTrained();
        TinyPaddy.manifest(dir, TinyPaddy.minimalYaml(MEMBERS.formatted("2")
                .replace("    arch: resnet18\n", "    arch: resnet18\n    lr: 0.002\n")));
        Experiment changed = open(dir, new CollectedLog());
        ResolvedMember res = changed.members(Set.of("res")).get(0);
        // Its predictions for the new configuration came from the team (as a runner's fetch leaves them);
        // its training.json here is still the one of lr 0.001.
        String oldKey = Json.read(changed.layout().predictionsRecord("res"), PredictionStore.PredictionRecord.class,
                why -> { }).orElseThrow().key();
        Predictions before = Predictions.read(changed.layout().predictions("res", oldKey), oldKey).orElseThrow();
        new Predictions(res.keys().tta(), before.ids(), before.vocabulary(), before.probabilities())
                .write(changed.layout().predictions("res", res.keys().tta()));

        changed.ensemble();
        EnsembleRecord record = Json.read(changed.layout().ensembleRecord(), EnsembleRecord.class, why -> { })
                .orElseThrow();
        assertEquals(List.of("res", "cnx"), record.members().stream().map(EnsembleRecord.Row::member).toList());
        assertEquals(null, record.members().get(0).validError(), "lr 0.001's valid error is not lr 0.002's");
        assertTrue(record.members().get(1).validError() != null, "cnx's record is of its current configuration");
    }

    @Test
    void unreadableTestImagesFailBeforeTrainingAndNameEveryFile() throws Exception {
        Path data = TinyPaddy.create(dir, 2, 4, 4);
        List<String> sample = Files.readAllLines(data.resolve("sample_submission.csv"));
        Path broken = data.resolve("test_images").resolve(sample.get(1).split(",")[0]);
        Files.writeString(broken, "truncated");
        manifest(dir, "1");
        Experiment experiment = open(dir, new CollectedLog());
        ExperimentException e = assertThrows(ExperimentException.class, () -> experiment.train(Set.of()));
        assertEquals("1 test image(s) cannot be read, and every test image needs a prediction; replace or re-export"
                + " them:\n  " + broken + ": a text file, not an image (it starts with \"truncated\"): replace it with the"
                + " image", e.getMessage());
        assertFalse(Files.exists(dir.resolve("target/paddy/members")), "nothing was trained");
    }

    @Test
    void aWeightsFileThatIsNotOneFailsBeforeAnyTrainingNamingMemberAndFile() throws Exception {
        TinyPaddy.create(dir, 2, 4, 4);
        Path weights = Files.writeString(dir.resolve("resnet.params"), "not a parameter file");
        TinyPaddy.manifest(dir, TinyPaddy.minimalYaml(MEMBERS.formatted("1")
                .replace("    arch: resnet18\n", "    arch: resnet18\n    weights: resnet.params\n")));
        Experiment experiment = open(dir, new CollectedLog());
        ExperimentException e = assertThrows(ExperimentException.class, () -> experiment.train(Set.of()));
        assertTrue(e.getMessage().startsWith("member 'res', weights: " + weights + ": not a parameter file of a resnet18"
                + " model with this number of classes ("), e.getMessage());
        assertTrue(e.getMessage().endsWith(". Point 'weights:' at a model.params that paddy wrote for a resnet18 with 2"
                + " classes, or remove the key to train from scratch"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("target/paddy/members")), "nothing was trained");
    }

    @Test
    void undecodableTrainingImagesAreSkippedCountedAndRecorded() throws Exception {
        Path data = TinyPaddy.create(dir, 2, 8, 4);
        Path label = Files.list(data.resolve("train_images")).sorted().findFirst().orElseThrow();
        ImageCorpus.Case truncated = ImageCorpus.named("truncated JPEG"); // OpenCV alone would fill it in silently
        Path broken = truncated.writeTo(label);
        manifest(dir, "1");
        CollectedLog log = new CollectedLog();
        Experiment experiment = open(dir, log);
        assertEquals(List.of("res"), experiment.train(Set.of("res")).ran());
        assertTrue(log.has("WARN 1 training image(s) could not be decoded and are skipped"), log.lines.toString());
        TrainingRecord record = Json.read(experiment.layout().trainingRecord("res"), TrainingRecord.class,
                why -> { throw new AssertionError(why); }).orElseThrow();
        assertTrue(log.has("WARN skipped training image " + broken + ": truncated JPEG: "), log.lines.toString());
        assertEquals(List.of(broken + ": " + ImageCorpus.reason(truncated, broken)), record.skippedImages());
        assertEquals(16, record.trainImages() + record.validImages(), "the 17th image was skipped");
        ExperimentException unknown = assertThrows(ExperimentException.class, () -> experiment.train(Set.of("rse")));
        assertTrue(unknown.getMessage().startsWith("no member named 'rse'"), unknown.getMessage());
    }

    private static Path manifest(Path project, String cnxWeight) {
        return TinyPaddy.manifest(project, TinyPaddy.minimalYaml(MEMBERS.formatted(cnxWeight)));
    }

    private static Experiment open(Path project, ExperimentLog log) throws Exception {
        return Experiment.open(project.resolve("paddy.yaml"), project.resolve("target/paddy"), log);
    }

    /** This test's own copy of the trained project: data, manifest and output folder. */
    private void copyTrained() throws IOException {
        try (Stream<Path> files = Files.walk(trained)) {
            for (Path from : files.toList()) {
                Path to = dir.resolve(trained.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to);
                }
            }
        }
    }
}
