package dev.paddy.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's resident memory on Linux, from {@code /proc/self/status}: the current RSS and
 * its high-water mark, which {@link #resetPeak} sets back to the current RSS (by writing 5 to
 * {@code /proc/self/clear_refs}) so that a peak can be measured over a stretch of work.
 */
public final class ProcessMemory {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private ProcessMemory() {}

    public static boolean available() {
        return Files.isReadable(STATUS);
    }

    /** Current resident set size in bytes (VmRSS). */
    public static long resident() {
        return field("VmRSS:");
    }

    /** Peak resident set size in bytes since start or the last {@link #resetPeak} (VmHWM). */
    public static long peak() {
        return field("VmHWM:");
    }

    /** Sets the high-water mark back to the current RSS; false where the kernel does not allow it. */
    public static boolean resetPeak() {
        try {
            Files.writeString(CLEAR_REFS, "5");
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    private static long field(String name) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(name)) {
                    String[] parts = line.substring(name.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024L;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
