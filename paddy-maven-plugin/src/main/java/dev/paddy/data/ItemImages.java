package dev.paddy.data;

import dev.paddy.manifest.ItemTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.imageio.ImageIO;

/**
 * Images decoded once and resized by the item transform, kept as square RGB bytes (HWC). Random
 * augmentation then runs on these every epoch without decoding again. An image that cannot be
 * decoded is recorded with its reason instead of ending the build.
 */
public final class ItemImages {
    private final int size;
    private final byte[][] items;
    private final List<String> failures;

    private ItemImages(int size, byte[][] items, List<String> failures) {
        this.size = size;
        this.items = items;
        this.failures = failures;
    }

    public int size() {
        return size;
    }

    public int count() {
        return items.length;
    }

    /** The item's RGB bytes, or null if it could not be decoded. */
    public byte[] item(int index) {
        return items[index];
    }

    public boolean isMissing(int index) {
        return items[index] == null;
    }

    /** One line per image that could not be decoded: the file and the reason. */
    public List<String> failures() {
        return failures;
    }

    public boolean[] missing() {
        boolean[] missing = new boolean[items.length];
        for (int i = 0; i < items.length; i++) {
            missing[i] = items[i] == null;
        }
        return missing;
    }

    /** Decodes and item-resizes every file on {@code threads} workers; {@code progress} hears the count done (every 100 images, one call at a time). */
    public static ItemImages presize(List<Path> files, ItemTransform transform, int threads, Consumer<Integer> progress) {
        byte[][] items = new byte[files.size()][];
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
                        try {
                            items[i] = decode(files.get(i), transform);
                        } catch (IOException | RuntimeException e) {
                            reasons[i] = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
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
            throw new IllegalStateException("decoding failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            if (items[i] == null) {
                failures.add(files.get(i) + ": " + reasons[i]);
            }
        }
        return new ItemImages(transform.size(), items, List.copyOf(failures));
    }

    /** Decodes one image and applies the item transform: square RGB bytes of side transform.size(). */
    public static byte[] decode(Path file, ItemTransform transform) throws IOException {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot decode (" + e.getMessage() + ")", e);
        }
        if (image == null) {
            throw new IOException("not a readable image (no decoder recognised its content)");
        }
        int width = image.getWidth();
        int height = image.getHeight();
        int[] argb = image.getRGB(0, 0, width, height, null, 0, width);
        int s = transform.size();
        byte[] out = new byte[s * s * 3];
        switch (transform.resize()) {
            case SQUISH -> Resampler.resize(argb, width, height, 0, 0, width, height, out, s, 0, 0, s, s);
            case CROP -> {
                int side = Math.min(width, height);
                Resampler.resize(argb, width, height, (width - side) / 2.0, (height - side) / 2.0, side, side,
                        out, s, 0, 0, s, s);
            }
            case PAD -> {
                int dw = (int) Math.round(s * (double) width / Math.max(width, height));
                int dh = (int) Math.round(s * (double) height / Math.max(width, height));
                Resampler.resize(argb, width, height, 0, 0, width, height, out, s, (s - dw) / 2, (s - dh) / 2,
                        Math.max(1, dw), Math.max(1, dh));
            }
            default -> throw new IllegalStateException(transform.resize().toString());
        }
        return out;
    }
}
