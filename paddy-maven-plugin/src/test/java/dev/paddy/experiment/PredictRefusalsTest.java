package dev.paddy.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddy.TinyPaddy;
import dev.paddy.ensemble.Predictions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code paddy:predict} refuses before it decodes or predicts anything, each with a message
 * naming the folder or the member and what to do; nothing is trained here.
 */
class PredictRefusalsTest {
    @TempDir
    Path dir;

    Experiment experiment;
    CollectedLog log = new CollectedLog();

    @BeforeEach
    void untrainedExperiment() throws Exception {
        TinyPaddy.create(dir, 2, 10, 4);
        TinyPaddy.manifest(dir, TinyPaddy.minimalYaml("""
                defaults: {epochs: 1, batch_size: 8, item: {resize: squish, size: 20}, input_size: 16}
                members:
                  - name: res
                    arch: resnet18
                  - name: cnx
                    arch: convnext_atto
                """));
        experiment = Experiment.open(dir.resolve("paddy.yaml"), dir.resolve("target/paddy"), log);
    }

    @Test
    void membersWithoutTrainedWeightsAreEachNamedWithWhatToRunBeforeAnyImageIsRead() {
        ExperimentException e = assertThrows(ExperimentException.class,
                () -> experiment.predict(dir.resolve("data/test_images"), null));
        assertEquals("""
                2 member(s) have no trained weights for their current configuration on this machine, which \
                paddy:predict needs:
                  member 'res': new
                  member 'cnx': new
                Run 'mvn paddy:train' (or 'mvn package') first to train them here. Nothing was predicted""",
                e.getMessage());
        assertFalse(log.has("decod"), "nothing decoded: " + log.lines);
        assertFalse(Files.exists(dir.resolve("target/paddy/predict")), "no CSV");
    }

    @Test
    void aMemberWhoseTestPredictionsAloneAreHereIsToldThatNewImagesNeedTheModel() throws Exception {
        // As a teammate's build leaves it: the member's TTA predictions for its current key, fetched, and no weights.
        ResolvedMember res = experiment.members(Set.of("res")).get(0);
        float[][] probabilities = new float[experiment.data().testIds().size()][2];
        for (float[] row : probabilities) {
            row[0] = 1;
        }
        new Predictions(res.keys().tta(), experiment.data().testIds(), experiment.data().vocabulary(), probabilities)
                .write(experiment.layout().predictions("res", res.keys().tta()));
        ExperimentException e = assertThrows(ExperimentException.class,
                () -> experiment.predict(dir.resolve("data/test_images"), null));
        assertTrue(e.getMessage().contains("\n  member 'res': new; only its TTA predictions of the test set are here"
                + " (shared by the build that trained it), and new images need the model itself\n  member 'cnx': new\n"),
                e.getMessage());
    }

    @Test
    void aSelectionNamesOnlyItsMembers() {
        ExperimentException e = assertThrows(ExperimentException.class,
                () -> experiment.predict(dir.resolve("data/test_images"), null, Set.of("cnx")));
        assertTrue(e.getMessage().startsWith("1 member(s) have no trained weights") && e.getMessage().contains(
                "member 'cnx': new") && !e.getMessage().contains("'res'"), e.getMessage());
    }

    @Test
    void anEmptyFolderHasNothingToClassify() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("new"));
        ExperimentException e = assertThrows(ExperimentException.class, () -> experiment.predict(empty, null));
        assertEquals(empty.toAbsolutePath() + ": no image (jpg, jpeg, png, bmp, gif) in it or its sub-folders, so"
                + " nothing to classify", e.getMessage());
    }

    @Test
    void aFolderOfFilesThatAreNotImagesNamesThemAndWhatToDoWithAPhotoFormatPaddyDoesNotRead() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("new/sub"));
        Files.writeString(folder.resolve("notes.txt"), "not an image");
        Files.writeString(folder.resolve("leaf.webp"), "RIFF");
        ExperimentException e = assertThrows(ExperimentException.class,
                () -> experiment.predict(dir.resolve("new"), null));
        Path root = dir.resolve("new").toAbsolutePath();
        assertEquals(root + ": no image (jpg, jpeg, png, bmp, gif) in it or its sub-folders, so nothing to classify;"
                + " 2 file(s) there are not images:\n  " + root.resolve("sub/leaf.webp")
                + " (WebP: convert it to PNG or JPEG to use it)\n  " + root.resolve("sub/notes.txt"), e.getMessage());
    }

    @Test
    void aMissingFolderIsSaidAsSuch() {
        ExperimentException e = assertThrows(ExperimentException.class,
                () -> experiment.predict(dir.resolve("no-such"), null));
        assertEquals(dir.resolve("no-such").toAbsolutePath() + ": no such folder; name the folder of images to"
                + " classify", e.getMessage());
    }

    @Test
    void anUnknownMemberIsNamedWithTheMembersThereAre() {
        ExperimentException e = assertThrows(ExperimentException.class,
                () -> experiment.predict(dir.resolve("data/test_images"), null, Set.of("vit")));
        assertTrue(e.getMessage().startsWith("no member named 'vit'"), e.getMessage());
    }
}
