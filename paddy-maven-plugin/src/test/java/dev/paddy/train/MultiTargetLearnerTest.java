package dev.paddy.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import dev.paddy.Training;
import dev.paddy.data.BatchLoader.Batch;
import dev.paddy.model.ModelSource;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A model of two targets has one head of 3 + 2 outputs: each target's probabilities are the
 * softmax over its own slice, its error rate counts its own labels, and the loss is the sum of the
 * two slices' mean cross-entropies.
 */
@Training
class MultiTargetLearnerTest {
    static final int SIZE = 16;
    static final int IMAGES = 6;

    private static Batch batch(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] pixels = new float[IMAGES * 3 * SIZE * SIZE];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
        }
        return new Batch(pixels, new int[][] {random.ints(IMAGES, 0, 3).toArray(), random.ints(IMAGES, 0, 2).toArray()},
                new int[IMAGES], IMAGES, null);
    }

    @Test
    void theLossIsTheSumOfEachSlicesCrossEntropyAndEachTargetHasItsOwnErrorRate() {
        Batch batch = batch(5);
        try (Learner learner = Learner.of(ModelSource.builtIn("resnet18")).classes(new int[] {3, 2}).inputSize(SIZE)
                .optimizer(OptimizerKind.ADAMW, 0.01).seed(3).device(Device.cpu()).weights(null).build()) {
            learner.optimizer().set(0.01, 0.9);
            learner.accumulateAndStep(List.of(batch), IMAGES); // moves the running statistics off their start
            float[][][] p = learner.predict(List.of(batch).iterator(), IMAGES);
            assertEquals(2, p.length);
            assertEquals(3, p[0][0].length, "the first target's slice");
            assertEquals(2, p[1][0].length, "the second target's slice");
            double loss = 0;
            int[] errors = new int[2];
            for (int i = 0; i < IMAGES; i++) {
                for (int t = 0; t < 2; t++) {
                    float[] row = p[t][i];
                    assertEquals(1.0, row[0] + row[1] + (row.length > 2 ? row[2] : 0), 1e-5, "a softmax per slice");
                    loss -= Math.log(row[batch.labels(t)[i]]);
                    if (argmax(row) != batch.labels(t)[i]) {
                        errors[t]++;
                    }
                }
            }
            Learner.Evaluation evaluation = learner.evaluate(List.of(batch).iterator());
            assertEquals(loss / IMAGES, evaluation.loss(), 1e-4, "sum of the slices' mean cross-entropies");
            assertEquals(errors[0] / (double) IMAGES, evaluation.errorRate());
            assertEquals(List.of(errors[0] / (double) IMAGES, errors[1] / (double) IMAGES), evaluation.errorRates());
            assertArrayEquals(p, learner.predict(List.of(batch).iterator(), IMAGES), "inference mode: the same again");
        }
    }

    private static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
