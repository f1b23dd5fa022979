package dev.paddy.data;

import dev.paddy.engine.DaemonThreads;
import dev.paddy.io.AtomicFiles;
import dev.paddy.io.Hashing;
import dev.paddy.io.OutputLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * Images decoded once and resized by the item transform, as square RGB bytes (HWC). Random
 * augmentation then runs on these every epoch without decoding again. An image that cannot be
 * decoded is recorded with its reason instead of ending the build.
 *
 * <p>With a cache folder, the items live in one memory-mapped file per (the files' paths, sizes
 * and modification times, the item transform, the decoder): later epochs, later members with the
 * same item transform and later builds map it instead of decoding (FFCV's idea), and the items
 * never sit on the Java heap. Without one, they are kept in memory. The cache file's header holds
 * its format, its key and CRC32C checksums of its items and of its reasons file, checked before a
 * later build maps it: a file that fails any check is named with the reason and decoded again.
 */
public final class ItemImages {
    /** Hex digits of the cache key in the cache file's name. */
    private static final int KEY_LENGTH = 24;
    private static final int MAGIC = 0x50414449; // "PADI"
    /**
     * The cache file's format: 0 was written before it had checksums (its header had a zero
     * there); 2 adds the checksums of the items and of the reasons file, and the key.
     */
    private static final int FORMAT = 2;
    /** magic, count, size, format, items' CRC32C, reasons' CRC32C (ints), the key (ASCII). */
    private static final int HEADER = 6 * Integer.BYTES + KEY_LENGTH;
    private static final long CHUNK = 1L << 30; // a MappedByteBuffer holds at most 2 GiB

    private final int size;
    private final int count;
    private final boolean[] missing;
    private final List<String> failures;
    private final byte[][] heap;
    private final MappedByteBuffer[] chunks;
    private final int itemsPerChunk;
    private final boolean fromCache;

    private ItemImages(int size, int count, boolean[] missing, List<String> failures, byte[][] heap,
                       MappedByteBuffer[] chunks, int itemsPerChunk, boolean fromCache) {
        this.size = size;
        this.count = count;
        this.missing = missing;
        this.failures = failures;
        this.heap = heap;
        this.chunks = chunks;
        this.itemsPerChunk = itemsPerChunk;
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
        int bytes = size * size * 3;
        return chunks[index / itemsPerChunk].slice((index % itemsPerChunk) * bytes, bytes).asReadOnlyBuffer();
    }

    /**
     * Makes every item resident now (for a mapped cache: faults its pages in). Training reads
     * every item in its first epoch anyway; doing it up front keeps the data set, a fixed cost
     * whatever the accumulation, out of a peak measured over the training (the memory probe's
     * items are on its heap, resident from the start).
     */
    public void makeResident() {
        if (chunks != null) {
            for (MappedByteBuffer chunk : chunks) {
                chunk.load();
            }
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
        String[] reasons = decodeAll(files, transform, threads, progress, (i, item) -> items[i] = item);
        boolean[] missing = new boolean[files.size()];
        for (int i = 0; i < missing.length; i++) {
            missing[i] = items[i] == null;
        }
        return new ItemImages(transform.size(), files.size(), missing, failureLines(files, reasons), items, null, 0, false);
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
        String key = key(files, transform);
        Path file = OutputLayout.itemCache(cacheDir, key);
        Path reasonsFile = OutputLayout.itemCacheFailures(file);
        if (Files.exists(file)) {
            try {
                return map(file, reasonsFile, key, files.size(), transform.size(), true);
            } catch (NotACacheException e) {
                warnings.accept(e.getMessage() + "; not used: the images are decoded again and the file replaced");
            }
        }
        int recordBytes = transform.size() * transform.size() * 3;
        long dataStart = HEADER + files.size();
        long total = dataStart + (long) recordBytes * files.size();
        AtomicFiles.writeChannel(file, total, channel -> {
            byte[] present = new byte[files.size()];
            String[] reasons = decodeAll(files, transform, threads, progress, (i, item) -> {
                present[i] = 1;
                try {
                    channel.write(ByteBuffer.wrap(item), dataStart + (long) i * recordBytes);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            channel.write(ByteBuffer.wrap(present), HEADER);
            if (channel.size() < total) {
                channel.write(ByteBuffer.allocate(1), total - 1);
            }
            // The reasons first: a cache file is renamed into place only when its reasons are there.
            byte[] reasonsText = reasonsText(failureLines(files, reasons));
            AtomicFiles.write(reasonsFile, out -> out.write(reasonsText));
            ByteBuffer header = ByteBuffer.allocate(HEADER).putInt(MAGIC).putInt(files.size()).putInt(transform.size())
                    .putInt(FORMAT).putInt(crc32c(channel, HEADER, total)).putInt(crc32c(reasonsText))
                    .put(key.getBytes(StandardCharsets.US_ASCII));
            channel.write(header.flip(), 0);
        });
        return map(file, reasonsFile, key, files.size(), transform.size(), false);
    }

    /** A file where an item cache should be that is not one for these images (damaged, or foreign). */
    private static final class NotACacheException extends IOException {
        NotACacheException(String message) {
            super(message);
        }
    }

    /**
     * Maps a cache file after checking its header against these images (format, count, size,
     * key) and its length; a file {@code fromCache} (not just written) has its checksums checked
     * too, over every item and the reasons file.
     */
    private static ItemImages map(Path file, Path reasonsFile, String key, int count, int size, boolean fromCache)
            throws IOException {
        int recordBytes = size * size * 3;
        int itemsPerChunk = (int) Math.max(1, CHUNK / recordBytes);
        long total = HEADER + count + (long) recordBytes * count;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = channel.size();
            if (length < HEADER) {
                throw new NotACacheException(file + ": truncated item cache (" + length + " bytes, expected " + total + ")");
            }
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            channel.read(header, 0);
            header.flip();
            int magic = header.getInt();
            int itsCount = header.getInt();
            int itsSize = header.getInt();
            int format = header.getInt();
            int dataChecksum = header.getInt();
            int reasonsChecksum = header.getInt();
            byte[] itsKey = new byte[KEY_LENGTH];
            header.get(itsKey);
            if (magic != MAGIC) {
                throw new NotACacheException(file + ": not an item cache (it does not start with paddy's mark)");
            }
            if (format == 0) {
                throw new NotACacheException(file + ": an item cache of an older paddy, without checksums");
            }
            if (format > FORMAT) {
                throw new NotACacheException(file + ": written by a newer paddy (item cache format " + format
                        + "; this paddy reads format " + FORMAT + ")");
            }
            String itsKeyText = new String(itsKey, StandardCharsets.ISO_8859_1);
            if (itsCount != count || itsSize != size || !itsKeyText.equals(key)) {
                throw new NotACacheException(String.format(Locale.ROOT, "%s: an item cache of other images"
                                + " (%d items of %d px, key %s; expected %d items of %d px, key %s)", file, itsCount,
                        itsSize, printable(itsKeyText), count, size, key));
            }
            if (length != total) {
                throw new NotACacheException(String.format(Locale.ROOT, "%s: %s item cache (%,d bytes, expected %,d)",
                        file, length < total ? "truncated" : "overlong", length, total));
            }
            if (fromCache) {
                byte[] reasons = Files.isRegularFile(reasonsFile) ? Files.readAllBytes(reasonsFile) : new byte[0];
                int dataActual = crc32c(channel, HEADER, total);
                if (dataActual != dataChecksum || crc32c(reasons) != reasonsChecksum) {
                    throw new NotACacheException(String.format(Locale.ROOT, "%s: checksum mismatch in its %s"
                                    + " (CRC32C %08x, the header records %08x): damaged or modified", file,
                            dataActual != dataChecksum ? "items" : "reasons file " + reasonsFile.getFileName(),
                            dataActual != dataChecksum ? dataActual : crc32c(reasons),
                            dataActual != dataChecksum ? dataChecksum : reasonsChecksum));
                }
            }
            ByteBuffer flags = ByteBuffer.allocate(count);
            channel.read(flags, HEADER);
            flags.flip();
            boolean[] missing = new boolean[count];
            for (int i = 0; i < count; i++) {
                missing[i] = flags.get() == 0;
            }
            MappedByteBuffer[] chunks = new MappedByteBuffer[(count + itemsPerChunk - 1) / itemsPerChunk];
            for (int c = 0; c < chunks.length; c++) {
                long start = HEADER + count + (long) c * itemsPerChunk * recordBytes;
                long bytes = (long) Math.min(itemsPerChunk, count - c * itemsPerChunk) * recordBytes;
                chunks[c] = channel.map(FileChannel.MapMode.READ_ONLY, start, bytes);
            }
            List<String> failures = Files.isRegularFile(reasonsFile) // one line per skipped image; no blank line counts
                    ? Files.readAllLines(reasonsFile, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList()
                    : List.of();
            return new ItemImages(size, count, missing, failures, null, chunks, itemsPerChunk, fromCache);
        }
    }

    /** CRC32C of the file's bytes from {@code start} to {@code end}, read through mappings (no heap copy). */
    private static int crc32c(FileChannel channel, long start, long end) throws IOException {
        CRC32C crc = new CRC32C();
        for (long at = start; at < end; at += CHUNK) {
            crc.update(channel.map(FileChannel.MapMode.READ_ONLY, at, Math.min(CHUNK, end - at)));
        }
        return (int) crc.getValue();
    }

    private static int crc32c(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return (int) crc.getValue();
    }

    private static byte[] reasonsText(List<String> lines) {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line).append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String printable(String text) {
        return text.chars().allMatch(c -> c >= 0x20 && c < 0x7f) ? text : "unreadable";
    }

    /** Names the cache: the decoder, the transform, and each file's path, size, modification time and readability. */
    static String key(List<Path> files, ItemTransform transform) throws IOException {
        StringBuilder text = new StringBuilder(Decoder.name() + "|" + transform + "\n");
        for (Path file : files) {
            text.append(file.toAbsolutePath()).append('|');
            try { // readability too: chmod changes no size or time, and a fixed file must be decoded again
                text.append(Files.size(file)).append('|').append(Files.getLastModifiedTime(file).toMillis())
                        .append(Files.isReadable(file) ? "" : "|unreadable");
            } catch (IOException e) { // a broken link or a link loop: decoding says why; its key stays stable
                text.append("unreadable");
            }
            text.append('\n');
        }
        return Hashing.sha256(text.toString()).substring(0, KEY_LENGTH);
    }

    private interface Sink {
        void accept(int index, byte[] item);
    }

    private static String[] decodeAll(List<Path> files, ItemTransform transform, int threads, Consumer<Integer> progress,
                                      Sink sink) {
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
                            sink.accept(i, item); // a failure to write the cache is not the image's fault: it propagates
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
                failures.add(files.get(i) + ": " + reasons[i]);
            }
        }
        return List.copyOf(failures);
    }
}
