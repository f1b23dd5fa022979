package dev.paddy.data;

import dev.paddy.io.Printable;
import dev.paddy.engine.DaemonThreads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.ObjIntConsumer;

/**
 * Images decoded once and resized by the item transform, as square RGB bytes (HWC). Random
 * augmentation then runs on these every epoch without decoding again. An image that cannot be
 * decoded is recorded with its reason instead of ending the build.
 *
 * <p>With a cache folder, the items live in one memory-mapped file per (the files' paths, sizes
 * and modification times, the item transform, the decoder): later epochs, later members with the
 * same item transform and later builds map it instead of decoding (FFCV's idea), and the items
 * never sit on the Java heap. Without one, they are kept in memory. The cache file
 * ({@link ItemCacheFile}) is checked before a later build maps it: a file that fails any check is
 * named with the reason and decoded again.
 */
public final class ItemImages {
    private final int size;
    private final int count;
    private final boolean[] missing;
    private final List<String> failures;
    private final byte[][] heap;
    private final ItemCacheFile.MappedItems mapped;
    private final boolean fromCache;

    private ItemImages(int size, int count, boolean[] missing, List<String> failures, byte[][] heap,
                       ItemCacheFile.MappedItems mapped, boolean fromCache) {
        this.size = size;
        this.count = count;
        this.missing = missing;
        this.failures = failures;
        this.heap = heap;
        this.mapped = mapped;
        this.fromCache = fromCache;
    }

    public int size() {
        return size;
    }

    public int count() {
        return count;
    }

    /** Whether these items were mapped from an existing cache file (nothing was decoded). */
    public boolean fromCache() {
        return fromCache;
    }

    /** A read-only view of the item's RGB bytes (no copy), or null if it could not be decoded. */
    public ByteBuffer item(int index) {
        if (missing[index]) {
            return null;
        }
        if (heap != null) {
            return ByteBuffer.wrap(heap[index]).asReadOnlyBuffer();
        }
        return mapped.item(index).asReadOnlyBuffer();
    }

    /**
     * Makes every item resident now (for a mapped cache: faults its pages in). Training reads
     * every item in its first epoch anyway; doing it up front keeps the data set, a fixed cost
     * whatever the accumulation, out of a peak measured over the training (the memory probe's
     * items are on its heap, resident from the start).
     */
    public void makeResident() {
        if (mapped != null) {
            mapped.load();
        }
    }

    public boolean isMissing(int index) {
        return missing[index];
    }

    /** One line per image that could not be decoded: the file and the reason. */
    public List<String> failures() {
        return failures;
    }

    public boolean[] missing() {
        return missing.clone();
    }

    /** Decodes every file into memory on {@code threads} workers; {@code progress} hears the count done. */
    public static ItemImages presize(List<Path> files, ItemTransform transform, int threads, Consumer<Integer> progress) {
        byte[][] items = new byte[files.size()][];
        String[] reasons = decodeAll(files, transform, threads, progress, (item, i) -> items[i] = item);
        boolean[] missing = new boolean[files.size()];
        for (int i = 0; i < missing.length; i++) {
            missing[i] = items[i] == null;
        }
        return new ItemImages(transform.size(), files.size(), missing, failureLines(files, reasons), items, null, false);
    }

    /**
     * Maps the cache file for these files and transform if one exists, else decodes into a new
     * one (written beside, then renamed, so a crash never leaves a partial cache) and maps it.
     */
    public static ItemImages presize(List<Path> files, ItemTransform transform, int threads, Consumer<Integer> progress,
                                     Path cacheDir) throws IOException {
        return presize(files, transform, threads, progress, cacheDir, warning -> { });
    }

    /**
     * As above; a cache file that is there but cannot be used (truncated, damaged, another
     * format, for other images) is not used: {@code warnings} hears which file and why, and the
     * images are decoded again into a new one that replaces it.
     */
    public static ItemImages presize(List<Path> files, ItemTransform transform, int threads, Consumer<Integer> progress,
                                     Path cacheDir, Consumer<String> warnings) throws IOException {
        Files.createDirectories(cacheDir);
        ItemCacheFile cache = ItemCacheFile.of(cacheDir, files, transform);
        if (cache.exists()) {
            try {
                return mapped(cache.map(true), transform.size(), true);
            } catch (ItemCacheFile.NotACacheException e) {
                warnings.accept(e.getMessage() + "; not used: the images are decoded again and the file replaced");
            }
        }
        cache.write(items -> failureLines(files, decodeAll(files, transform, threads, progress, items)));
        return mapped(cache.map(false), transform.size(), false);
    }

    private static ItemImages mapped(ItemCacheFile.Contents contents, int size, boolean fromCache) {
        return new ItemImages(size, contents.missing().length, contents.missing(), contents.failures(), null,
                contents.items(), fromCache);
    }

    private static String[] decodeAll(List<Path> files, ItemTransform transform, int threads, Consumer<Integer> progress,
                                      ObjIntConsumer<byte[]> sink) {
        String[] reasons = new String[files.size()];
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, DaemonThreads.named("paddy-decode"));
        try {
            List<Future<?>> futures = new ArrayList<>();
            int chunk = Math.max(1, files.size() / (threads * 8));
            for (int start = 0; start < files.size(); start += chunk) {
                int from = start;
                int to = Math.min(files.size(), start + chunk);
                futures.add(pool.submit(() -> {
                    for (int i = from; i < to; i++) {
                        byte[] item = null;
                        try {
                            item = Decoder.decode(files.get(i), transform);
                        } catch (UnusableImageException e) {
                            reasons[i] = e.getMessage();
                        } catch (IOException | RuntimeException e) { // not foreseen: still one line, and the image's own
                            reasons[i] = UnusableImageException.oneLine("cannot be decoded (" + e.getClass().getSimpleName()
                                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
                        }
                        if (item != null) {
                            sink.accept(item, i); // a failure to write the cache is not the image's fault: it propagates
                        }
                        int count = done.incrementAndGet();
                        if (count % 100 == 0) {
                            synchronized (done) {
                                progress.accept(count);
                            }
                        }
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while decoding images", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io;
            }
            throw new IllegalStateException("decoding failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return reasons;
    }

    private static List<String> failureLines(List<Path> files, String[] reasons) {
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            if (reasons[i] != null) {
                failures.add(Printable.of(files.get(i) + ": " + reasons[i])); // one line each in the .failures file
            }
        }
        return List.copyOf(failures);
    }
}
