package dev.paddy.predict;

import dev.paddy.data.Augmentation;
import dev.paddy.data.BatchLoader;
import dev.paddy.data.ItemImages;
import dev.paddy.data.Normalization;
import dev.paddy.train.Learner;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import java.util.zip.CRC32C;

/**
 * Test-time augmentation as fastai's {@code Learner.tta}: n passes with the training
 * augmentation and one plain pass, blended as {@code (1 - beta) * mean(augmented) + beta * plain}.
 */
public final class Tta {
    private Tta() {}

    /**
     * Every target's probabilities [target][image][class] (each the softmax over its slice of the
     * outputs), for every item in item order; each target blended as above. An image's augmented
     * passes draw from (seed, pass, {@link #itemKey its pixels}): its probabilities depend neither
     * on its name or place nor on the other images with it, so a folder holding the test images,
     * in any order and sub-folders, predicts them as the test set does. {@code passDone} hears the
     * number of passes done (of {@code n + 1}) after each.
     */
    public static float[][][] predict(Learner learner, ItemImages items, int inputSize, Normalization normalization,
                                      int n, double beta, long seed, int batchSize, int threads, IntConsumer passDone) {
        long[] keys = IntStream.range(0, items.count()).mapToLong(i -> itemKey(items.item(i), i)).toArray();
        int[] all = IntStream.range(0, items.count()).toArray();
        List<int[]> batches = BatchLoader.groups(all, batchSize);
        float[][][] plain;
        try (BatchLoader loader = new BatchLoader(items, null, inputSize, null, normalization, seed, threads, 4)) {
            plain = learner.predict(loader.batches(batches, 0), items.count());
        }
        passDone.accept(1);
        List<float[][][]> augmented = new ArrayList<>();
        try (BatchLoader loader = new BatchLoader(items, null, inputSize, Augmentation.fastaiDefaults(), normalization, seed,
                keys, threads, 4)) {
            for (int pass = 0; pass < n; pass++) {
                // Passes are numbered apart from training epochs so they draw fresh augmentations.
                augmented.add(learner.predict(loader.batches(batches, 1_000_000L + pass), items.count()));
                passDone.accept(pass + 2);
            }
        }
        float[][][] blended = new float[plain.length][][];
        for (int t = 0; t < plain.length; t++) {
            int target = t;
            blended[t] = combine(plain[t], augmented.stream().map(pass -> pass[target]).toList(), beta);
        }
        return blended;
    }

    /**
     * The key that draws an item's augmentations: the CRC32C of its decoded pixels, the same on
     * every machine (an item that could not be decoded has none: its index).
     */
    public static long itemKey(ByteBuffer item, int index) {
        if (item == null) {
            return index;
        }
        CRC32C crc = new CRC32C();
        crc.update(item.duplicate());
        return crc.getValue();
    }

    /** {@code (1 - beta) * mean(augmented) + beta * plain}; with no augmented pass, the plain one. */
    public static float[][] combine(float[][] plain, List<float[][]> augmented, double beta) {
        if (augmented.isEmpty()) {
            return plain;
        }
        float[][] out = new float[plain.length][];
        for (int i = 0; i < plain.length; i++) {
            out[i] = new float[plain[i].length];
            for (int c = 0; c < plain[i].length; c++) {
                double sum = 0;
                for (float[][] pass : augmented) {
                    sum += pass[i][c];
                }
                out[i][c] = (float) ((1 - beta) * (sum / augmented.size()) + beta * plain[i][c]);
            }
        }
        return out;
    }
}
