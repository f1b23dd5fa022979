package dev.paddy.data;

import dev.paddy.engine.DaemonThreads;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Renders batches on worker threads, {@code prefetch} batches ahead of the consumer, so the
 * training step never waits on augmentation. Every image's randomness comes from a seed derived
 * from (seed, pass, image index or the image's key), so the result does not depend on thread scheduling.
 */
public final class BatchLoader implements AutoCloseable {
    private final ItemImages items;
    private final int[][] labels;
    private final int inputSize;
    private final Augmentation augmentation;
    private final Normalization normalization;
    private final long seed;
    private final long[] itemKeys;
    private final int prefetch;
    private final ExecutorService workers;

    private final BlockingQueue<float[]> pool;

    /**
     * A rendered batch: {@code size} images as CHW floats, with each target's labels ({@code
     * labels[t][i]}: image {@code i}'s class in target {@code t}, -1 where unknown).
     * {@link #release} hands the pixel buffer back for reuse once it has been copied.
     */
    public record Batch(float[] pixels, int[][] labels, int[] indices, int size, BlockingQueue<float[]> pool) {
        /** The labels of target {@code target}: 0 is the folder label. */
        public int[] labels(int target) {
            return labels[target];
        }

        public void release() {
            if (pool != null) {
                pool.offer(pixels);
            }
        }
    }

    /**
     * @param labels {@code labels[t][item]}: the item's class in target {@code t}, the folder
     *     label first; null for images without labels (the test set)
     * @param augmentation null for the deterministic (plain) path
     */
    public BatchLoader(ItemImages items, int[][] labels, int inputSize, Augmentation augmentation,
                       Normalization normalization, long seed, int threads, int prefetch) {
        this(items, labels, inputSize, augmentation, normalization, seed, null, threads, prefetch);
    }

    /**
     * As above, each image's randomness drawn from {@code itemKeys[index]} instead of its index:
     * a key of the image itself (of its pixels), so that its augmentations do not depend on which
     * other images are listed, nor in what order (test-time augmentation of any folder).
     */
    public BatchLoader(ItemImages items, int[][] labels, int inputSize, Augmentation augmentation,
                       Normalization normalization, long seed, long[] itemKeys, int threads, int prefetch) {
        if (itemKeys != null && itemKeys.length != items.count()) {
            throw new IllegalArgumentException(itemKeys.length + " item keys for " + items.count() + " items");
        }
        this.itemKeys = itemKeys;
        this.items = items;
        this.normalization = normalization;
        this.labels = labels;
        this.inputSize = inputSize;
        this.augmentation = augmentation;
        this.seed = seed;
        this.prefetch = prefetch;
        this.workers = Executors.newFixedThreadPool(threads, DaemonThreads.named("paddy-batches"));
        this.pool = new ArrayBlockingQueue<>(prefetch + threads + 2);
    }

    /** {@code indices} cut into consecutive groups of at most {@code size}: the batches of one pass. */
    public static List<int[]> groups(int[] indices, int size) {
        List<int[]> groups = new ArrayList<>();
        for (int i = 0; i < indices.length; i += size) {
            groups.add(Arrays.copyOfRange(indices, i, Math.min(indices.length, i + size)));
        }
        return groups;
    }

    /** The batches of {@code groups} (item indices each), rendered ahead in order, for pass number {@code pass}. */
    public Iterator<Batch> batches(List<int[]> groups, long pass) {
        return new Iterator<>() {
            private final Deque<Future<Batch>> ahead = new ArrayDeque<>();
            private int submitted;

            private void fill() {
                while (submitted < groups.size() && ahead.size() < prefetch) {
                    int[] group = groups.get(submitted++);
                    ahead.add(workers.submit(() -> render(group, pass)));
                }
            }

            @Override
            public boolean hasNext() {
                fill();
                return !ahead.isEmpty();
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                try {
                    Batch batch = ahead.removeFirst().get();
                    fill();
                    return batch;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while preparing a batch", e);
                } catch (ExecutionException e) {
                    throw new IllegalStateException("preparing a batch failed: " + e.getCause(), e.getCause());
                }
            }
        };
    }

    /** Renders one batch on the calling thread. */
    public Batch render(int[] group, long pass) {
        int imageSize = 3 * inputSize * inputSize;
        float[] pixels = pool.poll();
        if (pixels == null || pixels.length < group.length * imageSize) {
            pixels = new float[group.length * imageSize];
        }
        int[][] batchLabels = new int[labels == null ? 1 : labels.length][group.length];
        for (int i = 0; i < group.length; i++) {
            int index = group[i];
            java.nio.ByteBuffer item = items.item(index);
            if (augmentation == null) {
                Augmentation.renderPlain(item, items.size(), pixels, i * imageSize, inputSize, normalization);
            } else {
                SplittableRandom random = new SplittableRandom(mix(seed, pass,
                        itemKeys == null ? index : itemKeys[index]));
                augmentation.renderRandom(item, items.size(), pixels, i * imageSize, inputSize, random, normalization);
            }
            for (int t = 0; t < batchLabels.length; t++) {
                batchLabels[t][i] = labels == null ? -1 : labels[t][index];
            }
        }
        return new Batch(pixels, batchLabels, group.clone(), group.length, pool);
    }

    static long mix(long seed, long pass, long index) {
        long h = seed * 0x9E3779B97F4A7C15L + pass;
        h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L + index;
        h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
        return h ^ (h >>> 31);
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
