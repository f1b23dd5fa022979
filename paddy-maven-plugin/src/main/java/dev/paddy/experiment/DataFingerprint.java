package dev.paddy.experiment;

import dev.paddy.io.AtomicFiles;
import dev.paddy.io.Hashing;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A hash of the data: every file's path (relative to a root), size and content hash. Content
 * hashes are remembered by (size, modification time) in a small cache file, so an unchanged data
 * set is fingerprinted without reading its images again. A file that cannot be read counts as
 * "unreadable" (decoding says why), so the fingerprint changes once it is fixed.
 */
public final class DataFingerprint {
    private DataFingerprint() {}

    public static String of(Path root, List<Path> files, Path cacheFile) throws IOException {
        Properties cache = new Properties();
        if (Files.isRegularFile(cacheFile)) {
            try (Reader in = Files.newBufferedReader(cacheFile, StandardCharsets.UTF_8)) {
                cache.load(in);
            } catch (IOException | IllegalArgumentException e) {
                cache.clear(); // a damaged cache only costs re-hashing
            }
        }
        TreeMap<String, String> entries = new TreeMap<>();
        Properties updated = new Properties();
        for (Path file : files) {
            String relative = root.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
            if (!Files.isReadable(file)) { // no permission, a broken link, a loop: decoding names it; not hashed
                entries.put(relative, "unreadable");
                continue;
            }
            long size = Files.size(file);
            long modified = Files.getLastModifiedTime(file).toMillis();
            String stamp = size + ":" + modified + ":";
            String cached = cache.getProperty(relative);
            String hash = cached != null && cached.startsWith(stamp) ? cached.substring(stamp.length()) : Hashing.sha256(file);
            updated.setProperty(relative, stamp + hash);
            entries.put(relative, size + ":" + hash);
        }
        AtomicFiles.write(cacheFile, out -> {
            Writer writer = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8);
            updated.store(writer, "paddy: content hashes of the data, by size and modification time");
            writer.flush();
        });
        return Hashing.sha256(new java.util.LinkedHashMap<>(entries));
    }
}
