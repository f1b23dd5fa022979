package dev.paddy.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** A member's own random train/valid split of the training images (fastai's RandomSplitter). */
public record Split(int[] train, int[] valid) {

    public static Split random(int size, double validPct, long seed) {
        List<Integer> order = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed));
        int validCount = (int) Math.round(size * validPct);
        int[] valid = order.subList(0, validCount).stream().mapToInt(Integer::intValue).sorted().toArray();
        int[] train = order.subList(validCount, size).stream().mapToInt(Integer::intValue).sorted().toArray();
        return new Split(train, valid);
    }

    /** How many training images of each class this split keeps ({@code labels[i]} is image i's class). */
    public int[] trainCounts(int[] labels, int classes) {
        int[] counts = new int[classes];
        for (int i : train) {
            counts[labels[i]]++;
        }
        return counts;
    }

    /** The same split without the items in {@code skipped} (images that could not be decoded). */
    public Split without(boolean[] skipped) {
        return new Split(Arrays.stream(train).filter(i -> !skipped[i]).toArray(),
                Arrays.stream(valid).filter(i -> !skipped[i]).toArray());
    }
}
