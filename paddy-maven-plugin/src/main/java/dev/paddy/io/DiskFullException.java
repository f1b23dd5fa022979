package dev.paddy.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A file could not be written because its disk is full (or the user's quota is reached). The
 * message names the file, what writing it needs and what is free there, and says that nothing
 * finished is lost: the write was atomic, so the file's previous version (a previous checkpoint,
 * earlier predictions) is still there and the next build carries on from it.
 */
public final class DiskFullException extends IOException {
    private final Path file;
    private final long needed;
    private final long free;

    /**
     * @param needed the bytes the whole file takes (at least what was written when the disk filled)
     * @param free the bytes usable in the file's folder after the partial file was removed
     */
    public DiskFullException(Path file, long needed, long free, Throwable cause) {
        super(String.format(Locale.ROOT, "%s: the disk is full: writing this file needs %s and %s %s free in %s;"
                        + " %s (or set -Dpaddy.outputDirectory on a larger disk) and run the"
                        + " build again. Nothing finished is lost: the file's previous version and every earlier"
                        + " result are intact, and the next build carries on from them",
                file, size(needed), size(free), free == 1 ? "is" : "are", file.toAbsolutePath().getParent(),
                needed > free ? "free at least " + size(needed - free) + " there"
                        : "something else filled it meanwhile, or a quota applies: free space there"), cause);
        this.file = file;
        this.needed = needed;
        this.free = free;
    }

    public Path file() {
        return file;
    }

    /** The bytes the whole file takes. */
    public long needed() {
        return needed;
    }

    /** The bytes that were usable in its folder. */
    public long free() {
        return free;
    }

    /** "44.7 MiB (46,874,624 bytes)", "512 bytes". */
    static String size(long bytes) {
        if (bytes < 1024) {
            return String.format(Locale.ROOT, "%,d byte%s", bytes, bytes == 1 ? "" : "s");
        }
        double mib = bytes / (1024.0 * 1024.0);
        String unit = mib >= 1024 ? String.format(Locale.ROOT, "%.1f GiB", mib / 1024)
                : mib >= 1 ? String.format(Locale.ROOT, "%.1f MiB", mib)
                : String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        return String.format(Locale.ROOT, "%s (%,d bytes)", unit, bytes);
    }

    /** Whether {@code e} (or a cause) is the operating system saying the disk or the quota is full. */
    public static boolean isNoSpace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DiskFullException) {
                return true;
            }
            String message = t.getMessage();
            if (message != null && (message.contains("No space left on device") || message.contains("Disk quota exceeded")
                    || message.contains("There is not enough space on the disk"))) {
                return true;
            }
        }
        return false;
    }
}
