package dev.paddy.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The seed of one epoch, from the member's seed and the epoch alone: the epoch's data order and
 * what the engine draws in it (the dropout masks of fastai's head) follow from it, not from how
 * many epochs this process ran before, so a training resumed after epoch {@code k} repeats in
 * epoch {@code k + 1} what an uninterrupted one does there.
 */
public final class EpochSeed {
    private EpochSeed() {}

    public static long of(long seed, int epoch) {
        return seed * 1_000_003L + epoch;
    }

    /** {@code indices} in epoch {@code epoch}'s order. */
    public static int[] shuffled(int[] indices, long seed, int epoch) {
        List<Integer> order = new ArrayList<>(Arrays.stream(indices).boxed().toList());
        Collections.shuffle(order, new Random(of(seed, epoch)));
        return order.stream().mapToInt(Integer::intValue).toArray();
    }
}
