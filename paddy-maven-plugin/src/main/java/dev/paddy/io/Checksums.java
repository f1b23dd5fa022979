package dev.paddy.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * CRC32C of files: the checksum every cache entry carries so a truncated or damaged file is
 * detected before it is used. CRC32C runs at memory speed (the JDK uses the CPU's instruction),
 * so checking a model's weights on every build costs milliseconds.
 */
public final class Checksums {
    private Checksums() {}

    public static String crc32c(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int read;
            while ((read = in.read(buffer)) > 0) {
                crc.update(buffer, 0, read);
            }
        }
        return String.format("%08x", crc.getValue());
    }

    /** "size:crc32c" of a file, or null when it does not exist. */
    public static String of(Path file) throws IOException {
        return Files.isRegularFile(file) ? Files.size(file) + ":" + crc32c(file) : null;
    }
}
