package dev.paddy.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.paddy.data.Normalization;
import dev.paddy.TinyPaddy;
import dev.paddy.data.BatchLoader.Batch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A member's batches are a function of (seed, pass, images), never of thread scheduling: the
 * same seed renders the same pixels and labels whether one worker or two prepare them, in
 * training (augmented, different each pass) and in validation (plain, the same each pass). This
 * is what lets a resumed or repeated training see exactly the data of the first run.
 */
class BatchLoaderTest {
    static final int ITEM = 20;
    static final int INPUT = 16;
    static final int IMAGE = 3 * INPUT * INPUT;
    static final List<int[]> GROUPS = List.of(new int[] {0, 5, 2, 7}, new int[] {1, 3, 11, 4},
            new int[] {9, 8, 6, 10}, new int[] {2, 0});
    static ItemImages items;
    static int[] labels;

    @BeforeAll
    static void realImages() {
        TinyPaddy.LabelledItems example = TinyPaddy.exampleItems(3, 4, new ItemTransform(ItemTransform.Resize.SQUISH, ITEM));
        items = example.items();
        labels = example.labels();
        assertEquals(List.of(), items.failures());
    }

    /** What a training loop sees of one batch: its pixels, labels and item indices. */
    record Seen(float[] pixels, int[] labels, int[] indices) {}

    /** Every batch of two passes, each copied out and then released to the loader's pool for reuse. */
    private static List<List<Seen>> twoPasses(Augmentation augmentation, int threads, int prefetch) {
        List<List<Seen>> passes = new ArrayList<>();
        try (BatchLoader loader = new BatchLoader(items, new int[][] {labels}, INPUT, augmentation, Normalization.IMAGENET, 17,
                threads, prefetch)) {
            for (long pass = 0; pass < 2; pass++) {
                List<Seen> seen = new ArrayList<>();
                Iterator<Batch> batches = loader.batches(GROUPS, pass);
                while (batches.hasNext()) {
                    Batch batch = batches.next();
                    seen.add(new Seen(Arrays.copyOf(batch.pixels(), batch.size() * IMAGE), batch.labels(0).clone(),
                            batch.indices().clone()));
                    batch.release();
                }
                passes.add(seen);
            }
        }
        return passes;
    }

    private static void assertSame(List<Seen> expected, List<Seen> actual, String what) {
        assertEquals(expected.size(), actual.size(), what);
        for (int b = 0; b < expected.size(); b++) {
            assertArrayEquals(expected.get(b).pixels(), actual.get(b).pixels(), what + ", batch " + b + " pixels");
            assertArrayEquals(expected.get(b).labels(), actual.get(b).labels(), what + ", batch " + b + " labels");
            assertArrayEquals(expected.get(b).indices(), actual.get(b).indices(), what + ", batch " + b + " indices");
        }
    }

    private static void assertInGroupOrderWithTheirLabels(List<Seen> pass) {
        assertEquals(GROUPS.size(), pass.size());
        for (int b = 0; b < GROUPS.size(); b++) {
            assertArrayEquals(GROUPS.get(b), pass.get(b).indices());
            assertArrayEquals(Arrays.stream(GROUPS.get(b)).map(i -> labels[i]).toArray(), pass.get(b).labels());
        }
    }

    private static boolean samePixels(List<Seen> a, List<Seen> b) {
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i).pixels(), b.get(i).pixels())) {
                return false;
            }
        }
        return true;
    }

    @Test
    void augmentedBatchesAreTheSameWithOneOrTwoWorkersAndDifferEachPass() {
        List<List<Seen>> one = twoPasses(Augmentation.fastaiDefaults(), 1, 1);
        List<List<Seen>> two = twoPasses(Augmentation.fastaiDefaults(), 2, 3);
        assertSame(one.get(0), two.get(0), "pass 0");
        assertSame(one.get(1), two.get(1), "pass 1");
        assertInGroupOrderWithTheirLabels(one.get(0));
        assertInGroupOrderWithTheirLabels(one.get(1));
        assertFalse(samePixels(one.get(0), one.get(1)), "each pass draws new augmentations");
    }

    @Test
    void plainBatchesAreTheSameWithOneOrTwoWorkersAndEveryPass() {
        List<List<Seen>> one = twoPasses(null, 1, 1);
        List<List<Seen>> two = twoPasses(null, 2, 3);
        assertSame(one.get(0), two.get(0), "pass 0");
        assertSame(one.get(1), two.get(1), "pass 1");
        assertSame(one.get(0), one.get(1), "the plain path ignores the pass");
        assertInGroupOrderWithTheirLabels(one.get(0));
        assertFalse(samePixels(one.get(0), twoPasses(Augmentation.fastaiDefaults(), 1, 1).get(0)),
                "plain is not augmented");
    }
}
