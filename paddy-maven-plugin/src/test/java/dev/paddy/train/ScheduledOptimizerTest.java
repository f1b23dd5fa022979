package dev.paddy.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import dev.paddy.Training;
import dev.paddy.model.ModelSource;
import dev.paddy.data.BatchLoader.Batch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A resumed training continues exactly where it stopped only if the optimizer's moments and step
 * counts come back with the weights: the same next step on the original learner and on one
 * rebuilt from the saved parameters and optimizer state gives the same parameters, bit for bit;
 * without the state it does not.
 */
@Training
class ScheduledOptimizerTest {
    static final int SIZE = 16;

    @TempDir
    Path dir;

    private static Learner learner(OptimizerKind kind, Path weights) {
        return Learner.of(ModelSource.builtIn("resnet18")).classes(3).inputSize(SIZE).optimizer(kind, 0.01).seed(9)
                .device(Device.cpu()).weights(weights).build();
    }

    /** A batch of four random images with labels, the same for the same {@code seed}. */
    private static Batch batch(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] pixels = new float[4 * 3 * SIZE * SIZE];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
        }
        return new Batch(pixels, new int[][] {random.ints(4, 0, 3).toArray()}, new int[4], 4, null);
    }

    /** One optimizer step at a fixed learning rate and momentum; the parameters after it. */
    private static float[] step(Learner learner, Batch batch) {
        learner.optimizer().set(0.01, 0.9);
        learner.accumulateAndStep(List.of(batch), batch.size());
        return flatten(learner.parameters());
    }

    private static float[] flatten(List<NDArray> arrays) {
        float[][] parts = arrays.stream().map(NDArray::toFloatArray).toArray(float[][]::new);
        float[] flat = new float[Arrays.stream(parts).mapToInt(p -> p.length).sum()];
        int offset = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, flat, offset, part.length);
            offset += part.length;
        }
        return flat;
    }

    @Test
    void aLearnerRebuiltFromSavedParametersAndOptimizerStateTakesTheSameNextStep() throws IOException {
        Path params = dir.resolve("epoch.params");
        Path state = dir.resolve("epoch.optimizer");
        float[] saved;
        float[] original;
        try (Learner learner = learner(OptimizerKind.ADAMW, null)) {
            saved = step(learner, batch(1));
            learner.save(params);
            learner.saveOptimizer(state);
            original = step(learner, batch(2));
        }
        assertFalse(Arrays.equals(saved, original), "the step moved the weights");

        float[] resumed;
        try (Learner learner = learner(OptimizerKind.ADAMW, params)) {
            assertArrayEquals(saved, flatten(learner.parameters()), "the saved weights are loaded");
            learner.loadOptimizer(state);
            resumed = step(learner, batch(2));
        }
        assertArrayEquals(original, resumed, "bit for bit the same step");

        float[] fresh;
        try (Learner learner = learner(OptimizerKind.ADAMW, params)) {
            fresh = step(learner, batch(2));
        }
        assertFalse(Arrays.equals(original, fresh), "without the optimizer state the step differs");
    }

    @Test
    void theStateOfAnotherOptimizerKindIsRefusedNamingTheFile() throws IOException {
        Path state = dir.resolve("sgd.optimizer");
        try (Learner sgd = learner(OptimizerKind.SGD, null)) {
            sgd.saveOptimizer(state);
        }
        try (Learner adamw = learner(OptimizerKind.ADAMW, null)) {
            IOException e = assertThrows(IOException.class, () -> adamw.loadOptimizer(state));
            assertEquals(state + ": cannot restore the optimizer state (optimizer state of SGD, this member uses ADAMW)",
                    e.getMessage());
        }
    }
}
