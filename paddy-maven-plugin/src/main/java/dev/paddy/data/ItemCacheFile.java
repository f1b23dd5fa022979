package dev.paddy.data;

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
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ObjIntConsumer;
import java.util.zip.CRC32C;

/**
 * The item cache's file for one list of images and one item transform, named by its key (the
 * files' paths, sizes, modification times and readability, the item transform, the decoder),
 * with the reasons file beside it. Its layout: a header (paddy's mark, the count, the item size,
 * the format, CRC32C checksums of the items and of the reasons file, the key), one byte per image
 * (1: decoded), then every item's RGB bytes, a missing one left zero. It is written beside and
 * renamed ({@link AtomicFiles#writeChannel}), its reasons file first, and checked before it is
 * mapped: a file that fails a check throws {@link NotACacheException} naming the reason.
 */
final class ItemCacheFile {
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

    private final Path file;
    private final Path reasonsFile;
    private final String key;
    private final int count;
    private final int size;

    private ItemCacheFile(Path file, String key, int count, int size) {
        this.file = file;
        this.reasonsFile = OutputLayout.itemCacheFailures(file);
        this.key = key;
        this.count = count;
        this.size = size;
    }

    /** The cache file in {@code cacheDir} for these files and this transform (not read yet). */
    static ItemCacheFile of(Path cacheDir, List<Path> files, ItemTransform transform) throws IOException {
        String key = key(files, transform);
        return new ItemCacheFile(OutputLayout.itemCache(cacheDir, key), key, files.size(), transform.size());
    }

    /** A file where an item cache should be that is not one for these images (damaged, or foreign). */
    static final class NotACacheException extends IOException {
        NotACacheException(String message) {
            super(message);
        }
    }

    /** A checked cache file's contents: which images are missing, why, and the items, mapped. */
    record Contents(boolean[] missing, List<String> failures, MappedItems items) {}

    /** The items of a mapped cache file, in chunks of whole items (a mapping holds at most 2 GiB). */
    record MappedItems(MappedByteBuffer[] chunks, int itemsPerChunk, int itemBytes) {
        /** The item's bytes in its chunk (no copy). */
        ByteBuffer item(int index) {
            return chunks[index / itemsPerChunk].slice((index % itemsPerChunk) * itemBytes, itemBytes);
        }

        /** Faults every page in. */
        void load() {
            for (MappedByteBuffer chunk : chunks) {
                chunk.load();
            }
        }
    }

    boolean exists() {
        return Files.exists(file);
    }

    /**
     * Writes the file: {@code decoding} decodes the images, hands each decoded item to the sink
     * it is given (from any thread; a failure to write propagates as {@link UncheckedIOException})
     * and returns one line per image it could not decode, which become the reasons file.
     */
    void write(Function<ObjIntConsumer<byte[]>, List<String>> decoding) throws IOException {
        int recordBytes = size * size * 3;
        long dataStart = HEADER + count;
        long total = dataStart + (long) recordBytes * count;
        AtomicFiles.writeChannel(file, total, channel -> {
            byte[] present = new byte[count];
            List<String> failures = decoding.apply((item, i) -> {
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
            byte[] reasonsText = reasonsText(failures);
            AtomicFiles.write(reasonsFile, out -> out.write(reasonsText));
            ByteBuffer header = ByteBuffer.allocate(HEADER).putInt(MAGIC).putInt(count).putInt(size)
                    .putInt(FORMAT).putInt(crc32c(channel, HEADER, total)).putInt(crc32c(reasonsText))
                    .put(key.getBytes(StandardCharsets.US_ASCII));
            channel.write(header.flip(), 0);
        });
    }

    /**
     * Maps the file after checking its header against these images (format, count, size, key)
     * and its length; with {@code checksums} (a file from an earlier build, not just written)
     * its checksums are checked too, over every item and the reasons file.
     */
    Contents map(boolean checksums) throws IOException {
        int recordBytes = size * size * 3;
        int itemsPerChunk = (int) Math.max(1, CHUNK / recordBytes);
        long total = HEADER + count + (long) recordBytes * count;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            checkHeader(channel, total, checksums);
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
            return new Contents(missing, failures, new MappedItems(chunks, itemsPerChunk, recordBytes));
        }
    }

    /** Throws {@link NotACacheException} with the first check the file fails, in the order a reader needs them. */
    private void checkHeader(FileChannel channel, long total, boolean checksums) throws IOException {
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
        if (checksums) {
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
}
