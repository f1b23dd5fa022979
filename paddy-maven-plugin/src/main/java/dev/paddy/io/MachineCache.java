package dev.paddy.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The machine's store of what paddy's stages computed, outside any build's output folder, so
 * that {@code mvn clean} loses nothing and every experiment and branch on the machine shares it.
 * Content-addressed: an entry is {@code <kind>/<key>/} (a folder of files), and the key is the
 * hash of everything that determined the files, so an entry is never stale and needs no owner.
 *
 * <pre>
 * models/&lt;training key&gt;/model.params, training.json    a member's trained weights and record
 * predictions/&lt;tta key&gt;/test.probs (+ &lt;target&gt;.probs)  its TTA predictions
 * lr-find/&lt;lr finder key&gt;/curve.json, plot.png         an lr finder run
 * memory/&lt;memory key&gt;/plan.json                       a member's memory plan
 * items/items-&lt;key&gt;.u8 (+ .failures)                 the decoded item caches (written in place)
 * </pre>
 *
 * An entry is written to a temporary folder beside it and renamed into place, so a reader sees
 * all of it or nothing; two builds keeping the same key at once both succeed (the contents are the
 * same by construction). Restoring copies the files into the build's output folder, where the
 * stage checks them as it checks its own (a damaged copy is recomputed, and kept anew). An entry's
 * modification time is when it was last kept or restored: {@link #prune} removes the least
 * recently used first. The cache never fails a build: a write that cannot be made is warned
 * about and the build goes on with its own output folder.
 */
public final class MachineCache {
    /** No cache: nothing is restored or kept (the plain Java API's default, and {@code -Dpaddy.cache=off}). */
    public static final MachineCache OFF = new MachineCache(null, message -> { });

    private static final String INCOMING = ".incoming-";

    private final Path root;
    private final Consumer<String> warnings;

    /** A kind of entry and the number, size and last use of its entries: what {@code paddy:cache} shows. */
    public record Usage(String kind, int entries, long bytes, Optional<Instant> oldest, Optional<Instant> newest) {}

    /** What {@link #prune} removed. */
    public record Pruned(int entries, long bytes) {}

    public MachineCache(Path root, Consumer<String> warnings) {
        this.root = root == null ? null : root.toAbsolutePath().normalize();
        this.warnings = warnings;
    }

    /**
     * Where paddy keeps its cache on this machine unless told otherwise: {@code %LOCALAPPDATA%\paddy\cache}
     * on Windows, {@code ~/Library/Caches/paddy} on macOS, else {@code $XDG_CACHE_HOME/paddy} or
     * {@code ~/.cache/paddy} (the XDG base directory convention).
     */
    public static Path defaultRoot(Map<String, String> env, String osName, Path userHome) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            String local = env.get("LOCALAPPDATA");
            return (local != null && !local.isBlank() ? Path.of(local) : userHome.resolve("AppData").resolve("Local"))
                    .resolve("paddy").resolve("cache");
        }
        if (os.startsWith("mac")) {
            return userHome.resolve("Library").resolve("Caches").resolve("paddy");
        }
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) { // the spec: a relative one is ignored
            return Path.of(xdg).resolve("paddy");
        }
        return userHome.resolve(".cache").resolve("paddy");
    }

    public boolean isOn() {
        return root != null;
    }

    /** The cache's folder; empty when it is off. */
    public Optional<Path> root() {
        return Optional.ofNullable(root);
    }

    /** Where the decoded item caches go (they are written in place: their own writes are atomic). */
    public Optional<Path> items() {
        return root().map(r -> r.resolve("items"));
    }

    /**
     * Copies the entry's files named in {@code files} to the paths they map to, when the entry has
     * them all; false (and nothing copied) when it does not, or the cache is off.
     */
    public boolean restore(String kind, String key, Map<String, Path> files) {
        if (root == null) {
            return false;
        }
        Path entry = entry(kind, key);
        if (!Files.isDirectory(entry) || !files.keySet().stream().allMatch(name -> Files.isRegularFile(entry.resolve(name)))) {
            return false;
        }
        try {
            for (Map.Entry<String, Path> file : files.entrySet()) {
                Path from = entry.resolve(file.getKey());
                Files.createDirectories(file.getValue().toAbsolutePath().getParent());
                AtomicFiles.write(file.getValue(), out -> Files.copy(from, out));
            }
            touch(entry);
            return true;
        } catch (NoSuchFileException e) { // pruned by another build meanwhile: a miss
            return false;
        } catch (IOException e) {
            warnings.accept("cannot restore " + entry + " from the machine cache (" + e.getMessage() + "); computed here");
            return false;
        }
    }

    /** The file {@code name} of the entry {@code kind/key}, to read in place; empty when the entry lacks it. */
    public Optional<Path> file(String kind, String key, String name) {
        if (root == null) {
            return Optional.empty();
        }
        Path file = entry(kind, key).resolve(name);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            touch(entry(kind, key));
        } catch (IOException e) {
            return Optional.empty(); // pruned meanwhile
        }
        return Optional.of(file);
    }

    /** Keeps copies of {@code files} (name in the entry to the file) as the entry {@code kind/key}, replacing an older one. */
    public void keep(String kind, String key, Map<String, Path> files) {
        if (root == null) {
            return;
        }
        Path entry = entry(kind, key);
        Path incoming = null;
        try {
            Files.createDirectories(entry.getParent());
            incoming = Files.createTempDirectory(entry.getParent(), INCOMING);
            for (Map.Entry<String, Path> file : files.entrySet()) {
                Files.copy(file.getValue(), incoming.resolve(file.getKey()));
            }
            if (Files.exists(entry)) { // a damaged copy that was recomputed, or a twin build's
                deleteTree(entry);
            }
            try {
                Files.move(incoming, entry, StandardCopyOption.ATOMIC_MOVE);
                incoming = null;
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException e) {
                // Another build kept the same key a moment ago: the same content, keep theirs.
            }
        } catch (IOException | UncheckedIOException e) {
            warnings.accept("not kept in the machine cache " + entry + " (" + e.getMessage() + "); the build goes on, and"
                    + " 'mvn clean' will lose it");
        } finally {
            if (incoming != null) {
                deleteQuietly(incoming);
            }
        }
    }

    /** Each kind's entries, size and last use. */
    public List<Usage> usage() throws IOException {
        List<Usage> usage = new ArrayList<>();
        if (root == null || !Files.isDirectory(root)) {
            return usage;
        }
        Map<String, List<Entry>> byKind = new LinkedHashMap<>();
        for (Entry entry : entries()) {
            byKind.computeIfAbsent(entry.kind(), k -> new ArrayList<>()).add(entry);
        }
        byKind.forEach((kind, entries) -> usage.add(new Usage(kind, entries.size(),
                entries.stream().mapToLong(Entry::bytes).sum(),
                entries.stream().map(Entry::lastUse).min(Comparator.naturalOrder()),
                entries.stream().map(Entry::lastUse).max(Comparator.naturalOrder()))));
        return usage;
    }

    /**
     * Removes the entries not used for {@code olderThan} (when given), then the least recently
     * used until the cache takes at most {@code maxBytes} (when given). An entry in use by another
     * build's mapping stays readable to it (POSIX); one that cannot be removed is warned about.
     */
    public Pruned prune(Optional<Duration> olderThan, Optional<Long> maxBytes, Instant now) throws IOException {
        if (root == null || !Files.isDirectory(root)) {
            return new Pruned(0, 0);
        }
        List<Entry> entries = new ArrayList<>(entries());
        entries.sort(Comparator.comparing(Entry::lastUse));
        long total = entries.stream().mapToLong(Entry::bytes).sum();
        int removed = 0;
        long freed = 0;
        for (Entry entry : entries) {
            boolean old = olderThan.isPresent() && entry.lastUse().isBefore(now.minus(olderThan.get()));
            boolean over = maxBytes.isPresent() && total - freed > maxBytes.get();
            if (!old && !over) {
                continue;
            }
            try {
                for (Path path : entry.paths()) {
                    deleteTree(path);
                }
                removed++;
                freed += entry.bytes();
            } catch (IOException | UncheckedIOException e) {
                warnings.accept("cannot remove " + entry.paths().get(0) + " (" + e.getMessage() + ")");
            }
        }
        return new Pruned(removed, freed);
    }

    /**
     * One entry: a folder {@code <kind>/<key>/}, or in {@code items/} the files of one item cache
     * ({@code items-<key>.u8} and its {@code .failures}), grouped by the name before the first dot.
     */
    private record Entry(String kind, List<Path> paths, long bytes, Instant lastUse) {}

    private List<Entry> entries() throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (Stream<Path> kinds = Files.list(root)) {
            for (Path kind : kinds.filter(Files::isDirectory).sorted().toList()) {
                Map<String, List<Path>> groups = new LinkedHashMap<>();
                try (Stream<Path> children = Files.list(kind)) {
                    children.filter(p -> !p.getFileName().toString().startsWith(INCOMING)).sorted().forEach(p -> {
                        String name = p.getFileName().toString();
                        int dot = name.indexOf('.', 1);
                        groups.computeIfAbsent(dot > 0 ? name.substring(0, dot) : name, k -> new ArrayList<>()).add(p);
                    });
                }
                for (List<Path> paths : groups.values()) {
                    long bytes = 0;
                    Instant lastUse = Instant.EPOCH;
                    for (Path path : paths) {
                        bytes += size(path);
                        Instant modified = Files.getLastModifiedTime(path).toInstant();
                        lastUse = modified.isAfter(lastUse) ? modified : lastUse;
                    }
                    entries.add(new Entry(kind.getFileName().toString(), paths, bytes, lastUse));
                }
            }
        }
        return entries;
    }

    private Path entry(String kind, String key) {
        return root.resolve(kind).resolve(key);
    }

    private static void touch(Path path) throws IOException {
        Files.setLastModifiedTime(path, FileTime.from(Instant.now()));
    }

    private static long size(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            return Files.size(path);
        }
        try (Stream<Path> files = Files.walk(path)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0; // removed meanwhile
                }
            }).sum();
        }
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            deleteTree(path);
        } catch (IOException | UncheckedIOException e) {
            // a temporary folder: the next keep of the kind does not look at it
        }
    }

    @Override
    public String toString() {
        return root == null ? "off" : root.toString();
    }
}
