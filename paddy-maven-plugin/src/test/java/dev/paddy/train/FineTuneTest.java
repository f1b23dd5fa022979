package dev.paddy.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.paddy.Training;
import dev.paddy.data.BatchLoader.Batch;
import dev.paddy.model.BodyFileException;
import dev.paddy.model.ModelSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fine-tuning a TorchScript body made by plain PyTorch ({@code src/test/resources/torchscript},
 * see its README): it loads with a fresh head, BatchNorm really trains in the first steps, the
 * frozen phase moves only the head and the norm layers, discriminative rates scale the body's
 * steps, and a saved model predicts after reload exactly as before.
 */
@Training
class FineTuneTest {
    static final Path FIXTURES = Path.of("src/test/resources/torchscript").toAbsolutePath();
    static final int SIZE = 32;
    static final int CLASSES = 3;

    @TempDir
    Path dir;

    static ModelSource body(String file, String head) {
        return ModelSource.torchScript(FIXTURES.resolve(file), head, "tiny");
    }

    private static Learner learner(ModelSource source, Path weights) {
        return Learner.of(source).classes(CLASSES).inputSize(SIZE).optimizer(OptimizerKind.ADAMW, 0.0).seed(7)
                .device(Device.cpu()).weights(weights).build();
    }

    /** Eight random images with labels, the same for the same {@code seed}. */
    private static Batch batch(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] pixels = new float[8 * 3 * SIZE * SIZE];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
        }
        return new Batch(pixels, new int[][] {random.ints(8, 0, CLASSES).toArray()}, new int[8], 8, null);
    }

    private static float[][] predict(Learner learner, long seed) {
        return learner.predict(List.of(batch(seed)).iterator(), 8)[0];
    }

    private static void step(Learner learner, double[] lrs, long seed) {
        learner.optimizer().set(lrs, 0.9);
        learner.accumulateAndStep(List.of(batch(seed)), 8);
    }

    @Test
    void aSpatialBodyGetsFastaisHeadAndTwoGroups() {
        try (Learner learner = learner(body("spatial-body.pt", ModelSource.FASTAI_HEAD), null)) {
            assertEquals(2, learner.groupCount());
            Map<String, float[]> parameters = learner.parameterValues();
            assertTrue(parameters.keySet().stream().anyMatch(k -> k.endsWith("conv1.weight")), parameters.keySet().toString());
            // concat pooling doubles the 16 features: BatchNorm1d(32) -> Linear(32, 512) -> ... -> Linear(512, 3)
            assertTrue(parameters.values().stream().anyMatch(v -> v.length == 32 * 512), "Linear(32, 512)");
            assertTrue(parameters.values().stream().anyMatch(v -> v.length == 512 * 3), "Linear(512, 3)");
            float[][] p = predict(learner, 1);
            assertEquals(8, p.length);
            assertEquals(CLASSES, p[0].length);
        }
    }

    @Test
    void aVectorBodyWithALinearHead() {
        try (Learner learner = learner(body("vector-body.pt", ModelSource.LINEAR_HEAD), null)) {
            assertTrue(learner.parameterValues().values().stream().anyMatch(v -> v.length == 16 * 3), "Linear(16, 3)");
            assertEquals(CLASSES, predict(learner, 1)[0].length);
        }
    }

    @Test
    void batchNormRunsInTrainingModeFromTheFirstStep() {
        try (Learner learner = learner(body("spatial-body.pt", ModelSource.FASTAI_HEAD), null)) {
            float[][] before = predict(learner, 1);
            float[] weightsBefore = flat(weights(learner));
            step(learner, new double[] {0, 0}, 2); // lr 0: no weight moves, only running statistics can
            assertArrayEquals(weightsBefore, flat(weights(learner)), "lr 0 moves no weight");
            float[][] after = predict(learner, 1);
            assertFalse(Arrays.deepEquals(before, after),
                    "the body's BatchNorm updated its running statistics in the first training step (train mode)");
        }
    }

    @Test
    void theFrozenPhaseMovesOnlyTheHeadAndTheNormLayers() {
        try (Learner learner = learner(body("spatial-body.pt", ModelSource.FASTAI_HEAD), null)) {
            Map<String, float[]> before = learner.parameterValues();
            learner.freezeBody(true);
            for (int s = 0; s < 3; s++) {
                step(learner, new double[] {1e-3, 1e-2}, 10 + s);
            }
            Map<String, float[]> after = learner.parameterValues();
            for (String name : before.keySet()) {
                boolean moved = !Arrays.equals(before.get(name), after.get(name));
                boolean bodyWeight = name.contains("conv1.weight") || name.contains("conv2.weight")
                        || name.contains("proj.weight") || name.contains("proj.bias");
                boolean bodyNorm = name.contains("bn1.") || name.contains("bn2.");
                if (bodyWeight) {
                    assertFalse(moved, name + " is frozen: bit-for-bit unchanged");
                } else {
                    assertTrue(moved, name + (bodyNorm ? " is a norm layer: trains while frozen (train_bn)" : " is the head's"));
                }
            }
            learner.freezeBody(false);
            learner.optimizer().clearState();
            step(learner, new double[] {1e-3, 1e-2}, 20);
            Map<String, float[]> unfrozen = learner.parameterValues();
            assertFalse(Arrays.equals(after.entrySet().stream().filter(e -> e.getKey().contains("conv1.weight"))
                    .findFirst().orElseThrow().getValue(), unfrozen.entrySet().stream()
                    .filter(e -> e.getKey().contains("conv1.weight")).findFirst().orElseThrow().getValue()),
                    "unfrozen, the body moves");
        }
    }

    @Test
    void discriminativeRatesScaleTheBodysStepsToTheHeads() {
        try (Learner learner = learner(body("spatial-body.pt", ModelSource.FASTAI_HEAD), null)) {
            Map<String, float[]> before = learner.parameterValues();
            step(learner, new double[] {1e-4, 1e-2}, 3); // one Adam step moves each weight by about its lr
            Map<String, float[]> after = learner.parameterValues();
            double body = medianStep(before, after, "conv2.weight");
            double head = medianStep(before, after, "Linear");
            System.out.printf("one step at lrs [1e-4, 1e-2]: median |dw| body %.3g, head %.3g, ratio %.4f%n",
                    body, head, body / head);
            assertEquals(0.01, body / head, 0.002, "body/head update ratio follows the lr ratio");
        }
    }

    @Test
    void aFineTunedModelPredictsTheSameAfterSavingAndLoading() throws IOException {
        Path saved = dir.resolve("model.params");
        float[][] trained;
        try (Learner learner = learner(body("spatial-body.pt", ModelSource.FASTAI_HEAD), null)) {
            for (int s = 0; s < 3; s++) {
                step(learner, new double[] {1e-3, 1e-2}, 30 + s);
            }
            trained = predict(learner, 5);
            learner.save(saved);
        }
        try (Learner reloaded = Learner.of(body("spatial-body.pt", ModelSource.FASTAI_HEAD)).classes(CLASSES).inputSize(SIZE)
                .device(Device.cpu()).weights(saved).build()) {
            assertArrayEquals(flatten(trained), flatten(predict(reloaded, 5)), "bit-for-bit the same predictions");
        }
    }

    @Test
    void filesThatAreNotABodyAreRefusedWithTheExportLines() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.pt"), "not a model");
        for (String[] c : new String[][] {
                {FIXTURES.resolve("not-torchscript.pt").toString(), "a PyTorch checkpoint written by torch.save"},
                {FIXTURES.resolve("bad-output.pt").toString(), "has shape (1, 16, 64)"},
                {text.toString(), "not a PyTorch zip archive"},
                {dir.resolve("missing.pt").toString(), "no such file"}}) {
            BodyFileException e = assertThrows(BodyFileException.class,
                    () -> learner(ModelSource.torchScript(Path.of(c[0]), ModelSource.FASTAI_HEAD, "x"), null).close());
            assertTrue(e.getMessage().contains(c[0]) && e.getMessage().contains(c[1]), e.getMessage());
            if (!c[1].equals("no such file")) {
                assertTrue(e.getMessage().contains("torch.jit.script(body"), e.getMessage());
            }
        }
    }

    /** The trainable parameters (the head's BatchNorm running statistics are DJL parameters too). */
    private static Map<String, float[]> weights(Learner learner) {
        Map<String, float[]> all = new java.util.LinkedHashMap<>(learner.parameterValues());
        all.keySet().removeIf(name -> name.contains("running"));
        return all;
    }

    private static double medianStep(Map<String, float[]> before, Map<String, float[]> after, String part) {
        double[] steps = before.keySet().stream().filter(k -> k.contains(part)).flatMapToDouble(k -> {
            float[] a = before.get(k);
            float[] b = after.get(k);
            return java.util.stream.IntStream.range(0, a.length).mapToDouble(i -> Math.abs(b[i] - a[i]));
        }).sorted().toArray();
        return steps[steps.length / 2];
    }

    private static float[] flat(Map<String, float[]> values) {
        return flatten(values.values().toArray(float[][]::new));
    }

    private static float[] flatten(float[][] parts) {
        float[] flat = new float[Arrays.stream(parts).mapToInt(p -> p.length).sum()];
        int offset = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, flat, offset, part.length);
            offset += part.length;
        }
        return flat;
    }
}
