package dev.paddy.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A member's split decides what it learns from and what its error rate is measured on: the two
 * parts must partition the images, the valid part must have the configured share, and the same
 * seed must give the same split (a resumed or cached member depends on it).
 */
class SplitTest {
    private static int[] sortedUnion(Split split) {
        int[] all = IntStream.concat(Arrays.stream(split.train()), Arrays.stream(split.valid())).toArray();
        Arrays.sort(all);
        return all;
    }

    @Test
    void trainAndValidPartitionTheIndicesWithARoundedValidShare() {
        int[][] cases = {{100, 25}, {10, 3}, {7, 2}, {1, 0}, {0, 0}}; // size, round(size * 0.25)
        for (int[] c : cases) {
            Split split = Split.random(c[0], 0.25, 7);
            assertEquals(c[1], split.valid().length, "valid size of " + c[0]);
            assertArrayEquals(IntStream.range(0, c[0]).toArray(), sortedUnion(split), "disjoint and complete for " + c[0]);
        }
        assertEquals(20, Split.random(100, 0.2, 7).valid().length);
        assertEquals(0, Split.random(100, 0.0, 7).valid().length);
        assertEquals(100, Split.random(100, 1.0, 7).valid().length);
    }

    @Test
    void bothPartsAreSortedAndTheSplitIsAFunctionOfTheSeed() {
        Split split = Split.random(200, 0.2, 11);
        assertArrayEquals(Arrays.stream(split.train()).sorted().toArray(), split.train());
        assertArrayEquals(Arrays.stream(split.valid()).sorted().toArray(), split.valid());
        Split again = Split.random(200, 0.2, 11);
        assertArrayEquals(split.train(), again.train());
        assertArrayEquals(split.valid(), again.valid());
        assertFalse(Arrays.equals(split.valid(), Split.random(200, 0.2, 12).valid()), "another seed, another split");
    }

    @Test
    void withoutRemovesExactlyTheSkippedItemsFromBothParts() {
        Split split = Split.random(50, 0.2, 3);
        boolean[] skipped = new boolean[50];
        int skippedValid = split.valid()[0];
        int skippedTrain = split.train()[split.train().length - 1];
        skipped[skippedValid] = true;
        skipped[skippedTrain] = true;

        Split kept = split.without(skipped);
        assertArrayEquals(Arrays.stream(split.train()).filter(i -> i != skippedTrain).toArray(), kept.train());
        assertArrayEquals(Arrays.stream(split.valid()).filter(i -> i != skippedValid).toArray(), kept.valid());
        assertEquals(48, sortedUnion(kept).length);
        Split none = split.without(new boolean[50]);
        assertArrayEquals(split.train(), none.train());
        assertArrayEquals(split.valid(), none.valid());
    }
}
