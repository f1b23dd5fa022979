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
 * from (seed, pass, image index), so the result does not depend on thread scheduling.
 */
public final class BatchLoader implements AutoCloseable {
    private final ItemImages items;
    private final int[][] labels;
    private final int inputSize;
    private final Augmentation augmentation;
    private final Normalization normalization;
    private final long seed;
    private final int prefetch;
    private final ExecutorService workers;

    private final BlockingQueue<float[]> pool;

    /**
     * A rendered batch: {@code size} images as CHW floats, with their labels (or -1 where
     * unknown): {@code labels} of the first target, {@code moreLabels[t - 1]} of target {@code t}
     * (none for a single target). {@link #release} hands the pixel buffer back for reuse once it
     * has been copied.
     */
    public record Batch(float[] pixels, int[] labels, int[][] moreLabels, int[] indices, int size,
                        BlockingQueue<float[]> pool) {
        /** A batch of a single target. */
        public Batch(float[] pixels, int[] labels, int[] indices, int size, BlockingQueue<float[]> pool) {
            this(pixels, labels, new int[0][], indices, size, pool);
        }

        /** The labels of target {@code target}: 0 is the first. */
        public int[] labels(int target) {
            return target == 0 ? labels : moreLabels[target - 1];
        }

        public void release() {
            if (pool != null) {
                pool.offer(pixels);
            }
        }
    }

    /** Batches normalised with ImageNet's statistics. */
    public BatchLoader(ItemImages items, int[] labels, int inputSize, Augmentation augmentation, long seed,
                       int threads, int prefetch) {
        this(items, labels, inputSize, augmentation, Normalization.IMAGENET, seed, threads, prefetch);
    }

    /**
     * @param augmentation null for the deterministic (plain) path
     */
    public BatchLoader(ItemImages items, int[] labels, int inputSize, Augmentation augmentation,
                       Normalization normalization, long seed, int threads, int prefetch) {
        this(items, labels == null ? null : new int[][] {labels}, inputSize, augmentation, normalization, seed, threads,
                prefetch);
    }

    /**
     * Batches labelled with several targets: {@code labels[t][item]} is item's class in target
     * {@code t}, the first target first.
     */
    public static BatchLoader withTargets(ItemImages items, int[][] labels, int inputSize, Augmentation augmentation,
                                          Normalization normalization, long seed, int threads, int prefetch) {
        return new BatchLoader(items, labels, inputSize, augmentation, normalization, seed, threads, prefetch);
    }

    private BatchLoader(ItemImages items, int[][] labels, int inputSize, Augmentation augmentation,
                        Normalization normalization, long seed, int threads, int prefetch) {
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
        int[] batchLabels = new int[group.length];
        int[][] moreLabels = new int[labels == null ? 0 : labels.length - 1][group.length];
        for (int i = 0; i < group.length; i++) {
            int index = group[i];
            java.nio.ByteBuffer item = items.item(index);
            if (augmentation == null) {
                Augmentation.renderPlain(item, items.size(), pixels, i * imageSize, inputSize, normalization);
            } else {
                SplittableRandom random = new SplittableRandom(mix(seed, pass, index));
                augmentation.renderRandom(item, items.size(), pixels, i * imageSize, inputSize, random, normalization);
            }
            batchLabels[i] = labels == null ? -1 : labels[0][index];
            for (int t = 0; t < moreLabels.length; t++) {
                moreLabels[t][i] = labels[t + 1][index];
            }
        }
        return new Batch(pixels, batchLabels, moreLabels, group.clone(), group.length, pool);
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
