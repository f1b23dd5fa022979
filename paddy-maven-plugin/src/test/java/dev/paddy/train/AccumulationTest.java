package dev.paddy.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import dev.paddy.Training;
import dev.paddy.data.Normalization;
import dev.paddy.model.ModelSource;
import dev.paddy.TinyPaddy;
import dev.paddy.data.BatchLoader.Batch;
import dev.paddy.data.BatchLoader;
import dev.paddy.data.ItemImages;
import dev.paddy.data.ItemTransform;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Gradient accumulation reproduces the full batch: on a net without BatchNorm (ConvNeXt,
 * LayerNorm), k micro-batches whose losses are scaled by their share of the window give the same
 * parameters after one step as one batch of the whole window, in fp32, on real images.
 */
@Training
class AccumulationTest {
    static final int SIZE = 32;
    static ItemImages items;
    static int[] labels;

    @BeforeAll
    static void realImages() {
        TinyPaddy.LabelledItems example = TinyPaddy.exampleItems(10, 7, new ItemTransform(ItemTransform.Resize.SQUISH, SIZE));
        items = example.items();
        labels = example.labels();
    }

    /** Parameters after one step over the first {@code window} images cut into micro-batches of {@code micro}. */
    private static float[] stepOnce(int window, int micro, int claimedWindow, float[][] before) {
        try (Learner learner = Learner.of(ModelSource.builtIn("convnext_atto")).classes(10).inputSize(SIZE)
                .optimizer(OptimizerKind.SGD, 0.0).seed(1234).device(Device.cpu()).build();
             BatchLoader loader = new BatchLoader(items, new int[][] {labels}, SIZE, null, Normalization.IMAGENET, 1, 1, 1)) {
            before[0] = flatten(learner.parameters());
            int[] order = IntStream.range(0, window).map(i -> (i * 7) % items.count()).toArray();
            List<Batch> batches = new ArrayList<>();
            for (int start = 0; start < window; start += micro) {
                int[] group = java.util.Arrays.copyOfRange(order, start, Math.min(window, start + micro));
                batches.add(loader.render(group, 0));
            }
            learner.optimizer().set(0.5, 0.0);
            learner.accumulateAndStep(batches, claimedWindow);
            return flatten(learner.parameters());
        }
    }

    private static float[] flatten(List<NDArray> arrays) {
        int total = arrays.stream().mapToInt(a -> (int) a.size()).sum();
        float[] flat = new float[total];
        int offset = 0;
        for (NDArray array : arrays) {
            float[] values = array.toFloatArray();
            System.arraycopy(values, 0, flat, offset, values.length);
            offset += values.length;
        }
        return flat;
    }

    private static double relative(float[] a, float[] b) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < a.length; i++) {
            diff += (double) (a[i] - b[i]) * (a[i] - b[i]);
            norm += (double) b[i] * b[i];
        }
        return Math.sqrt(diff / norm);
    }

    private static float[] minus(float[] a, float[] b) {
        float[] d = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }

    private static void assertSameStep(int window, int micro) {
        float[][] startFull = new float[1][];
        float[][] startAccum = new float[1][];
        float[] full = stepOnce(window, window, window, startFull);
        float[] accumulated = stepOnce(window, micro, window, startAccum);
        assertArrayEquals(startFull[0], startAccum[0], "both start from the same seeded weights");
        double update = relative(minus(full, startFull[0]), startFull[0]);
        assertTrue(update > 1e-4, "the step moved the weights (relative update " + update + ")");
        double parameters = relative(accumulated, full);
        double updates = relative(minus(accumulated, startAccum[0]), minus(full, startFull[0]));
        System.out.printf("accumulation %d = micro %d: parameters differ %.2e relative, updates %.2e relative%n",
                window, micro, parameters, updates);
        assertTrue(parameters < 1e-5, "parameters within 1e-5 relative, got " + parameters);
        assertTrue(updates < 1e-3, "updates within 1e-3 relative, got " + updates);
    }

    @Test
    void fourMicroBatchesOf16EqualOneBatchOf64() {
        assertSameStep(64, 16);
    }

    @Test
    void aPartialLastMicroBatchIsScaledByItsShare() {
        assertSameStep(50, 16); // 16 + 16 + 16 + 2
    }

    @Test
    void unscaledMicroBatchLossesWouldNotMatch() {
        float[][] start = new float[1][];
        float[] full = stepOnce(64, 64, 64, start);
        float[] wrong = stepOnce(64, 16, 16, new float[1][]); // each micro-batch weighted as a whole window
        double updates = relative(minus(wrong, start[0]), minus(full, start[0]));
        assertTrue(updates > 0.5, "summing unscaled means makes a ~4x step, got " + updates);
    }
}
