package dev.paddy.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddy.TinyPaddy;
import dev.paddy.data.ItemTransform;
import dev.paddy.data.Normalization;
import dev.paddy.memory.MemoryBudget;
import dev.paddy.model.ModelSource;
import dev.paddy.train.OptimizerKind;
import dev.paddy.train.Schedule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Paddy Doctor manifest of the Kaggle page ({@code docs/paddy-doctor.yaml}, the seed notebook's recipe)
 * stays valid: copied into a project of tiny Paddy-layout data with the TorchScript fixture body
 * standing in for the exported {@code convnext_small_in22k}, it loads and says what the notebook
 * does; and {@code docs/kaggle.md} shows the file as it is.
 */
class PaddyDoctorManifestTest {
    static final Path MANIFEST = Path.of("..", "docs", "paddy-doctor.yaml").toAbsolutePath().normalize();
    static final Path KAGGLE_PAGE = Path.of("..", "docs", "kaggle.md").toAbsolutePath().normalize();
    static final Path BODY = Path.of("src/test/resources/torchscript/spatial-body.pt").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void theReadmesPaddyDoctorManifestLoads() throws Exception {
        TinyPaddy.create(dir, 3, 4, 5);
        Path body = Files.createDirectories(dir.resolve("models")).resolve("convnext_small_in22k.pt");
        Files.copy(BODY, body);
        Path file = Files.copy(MANIFEST, dir.resolve("paddy.yaml"));

        Manifest manifest = ManifestLoader.load(file);

        assertEquals(Optional.of(new MemoryBudget(16280L << 20, 0.05)), manifest.budget(), "a Kaggle GPU");
        assertEquals(0.2, manifest.data().validPct());
        assertEquals(1, manifest.members().size());
        MemberSpec member = manifest.members().get(0);
        assertEquals("convnext_small", member.name());
        ModelSource model = member.model();
        assertTrue(model.pretrainedBody(), "weights: names a TorchScript body, no arch: " + model);
        assertEquals(body.toString(), model.torchScript());
        assertEquals(ModelSource.FASTAI_HEAD, model.head());
        assertEquals(Optional.empty(), member.initialWeights(), "the body is the model, not a parameter file");
        assertTrue(member.accumAuto(), "accum: auto, planned against the budget");

        TrainingSpec training = member.training();
        assertEquals(Schedule.FINE_TUNE, training.schedule());
        assertEquals(0.01, training.lr());
        assertEquals(12, training.epochs());
        assertEquals(1, training.freezeEpochs());
        assertEquals(100, training.lrMult());
        assertEquals(64, training.batchSize());
        assertEquals(OptimizerKind.ADAMW, training.optimizer());
        assertEquals(0.01, training.weightDecay());
        assertEquals(new ItemTransform(ItemTransform.Resize.SQUISH, 480), training.item());
        assertEquals(224, training.inputSize());
        assertEquals(Normalization.IMAGENET, training.normalization(), "timm's pretrained_cfg for convnext_small_in22k");
        assertEquals(SeedPolicy.random(), training.seed());

        assertEquals(new TtaSpec(4, 0.25), manifest.tta());
        assertEquals(Optional.of("paddy-disease-classification"), manifest.submission().competition());
    }

    @Test
    void theKagglePageShowsTheFileAsItIs() throws Exception {
        String yaml = Files.readString(MANIFEST);
        String keys = yaml.substring(yaml.indexOf("\nbudget:") + 1); // the file after its header comment
        assertTrue(Files.readString(KAGGLE_PAGE).contains("```yaml\n" + keys + "```\n"),
                "docs/kaggle.md's Paddy Doctor manifest differs from " + MANIFEST + ": copy it from the line 'budget:' on");
    }
}
