package dev.paddy.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachineCacheTest {
    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();

    private MachineCache cache() {
        return new MachineCache(dir.resolve("cache"), warnings::add);
    }

    @Test
    void whatIsKeptIsRestoredByteForByteAndAnEntryLackingAFileIsAMiss() throws IOException {
        Path weights = Files.write(dir.resolve("model.params"), new byte[] {1, 2, 3});
        Path record = Files.writeString(dir.resolve("training.json"), "{}");
        cache().keep("models", "k1", Map.of("model.params", weights, "training.json", record));

        Path out = dir.resolve("target/members/m");
        assertTrue(cache().restore("models", "k1", Map.of("model.params", out.resolve("model.params"),
                "training.json", out.resolve("training.json"))));
        assertEquals(List.of((byte) 1, (byte) 2, (byte) 3), boxed(Files.readAllBytes(out.resolve("model.params"))));
        assertEquals("{}", Files.readString(out.resolve("training.json")));

        assertFalse(cache().restore("models", "k2", Map.of("model.params", dir.resolve("x"))), "another key");
        assertFalse(cache().restore("models", "k1", Map.of("other.bin", dir.resolve("y"))), "a file the entry lacks");
        assertFalse(Files.exists(dir.resolve("y")));
        assertEquals(List.of(), warnings);
    }

    @Test
    void keepingAKeyAgainReplacesTheEntryAndLeavesNoTemporaryFolder() throws IOException {
        Path file = Files.writeString(dir.resolve("a.probs"), "old");
        cache().keep("predictions", "k", Map.of("test.probs", file));
        Files.writeString(file, "new");
        cache().keep("predictions", "k", Map.of("test.probs", file));
        assertEquals("new", Files.readString(dir.resolve("cache/predictions/k/test.probs")));
        try (var children = Files.list(dir.resolve("cache/predictions"))) {
            assertEquals(List.of("k"), children.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void offRestoresNothingAndKeepsNothing() throws IOException {
        Path file = Files.writeString(dir.resolve("a"), "x");
        MachineCache.OFF.keep("models", "k", Map.of("a", file));
        assertFalse(MachineCache.OFF.restore("models", "k", Map.of("a", dir.resolve("b"))));
        assertFalse(MachineCache.OFF.isOn());
        assertEquals(Optional.empty(), MachineCache.OFF.items());
    }

    @Test
    void aKeepThatCannotBeWrittenWarnsAndTheBuildGoesOn() throws IOException {
        Files.writeString(dir.resolve("cache"), "a file where the cache folder should be");
        Path file = Files.writeString(dir.resolve("a"), "x");
        cache().keep("models", "k", Map.of("a", file));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("not kept in the machine cache "), warnings.get(0));
    }

    @Test
    void pruneRemovesTheUnusedThenTheLeastRecentlyUsedBeyondTheSize() throws IOException {
        Instant now = Instant.parse("2026-12-04T00:00:00Z");
        Path file = Files.write(dir.resolve("f"), new byte[1000]);
        for (String key : List.of("old", "middle", "new")) {
            cache().keep("models", key, Map.of("model.params", file));
        }
        // An item cache is two files, one entry.
        Files.createDirectories(dir.resolve("cache/items"));
        Files.write(dir.resolve("cache/items/items-abc.u8"), new byte[500]);
        Files.write(dir.resolve("cache/items/items-abc.u8.failures"), new byte[10]);
        age("cache/models/old", now.minus(Duration.ofDays(40)));
        age("cache/models/middle", now.minus(Duration.ofDays(5)));
        age("cache/models/new", now.minus(Duration.ofDays(1)));
        age("cache/items/items-abc.u8", now.minus(Duration.ofDays(3)));
        age("cache/items/items-abc.u8.failures", now.minus(Duration.ofDays(3)));

        List<MachineCache.Usage> usage = cache().usage();
        assertEquals(List.of("items", "models"), usage.stream().map(MachineCache.Usage::kind).toList());
        assertEquals(1, usage.get(0).entries());
        assertEquals(510, usage.get(0).bytes());
        assertEquals(3, usage.get(1).entries());

        MachineCache.Pruned byAge = cache().prune(Optional.of(Duration.ofDays(30)), Optional.empty(), now);
        assertEquals(new MachineCache.Pruned(1, 1000), byAge);
        assertFalse(Files.exists(dir.resolve("cache/models/old")));

        MachineCache.Pruned bySize = cache().prune(Optional.empty(), Optional.of(1500L), now);
        assertEquals(new MachineCache.Pruned(2, 1510), bySize, "the middle entry goes (2510 -> 1510, still over), then the items");
        assertFalse(Files.exists(dir.resolve("cache/models/middle")));
        assertFalse(Files.exists(dir.resolve("cache/items/items-abc.u8")));
        assertFalse(Files.exists(dir.resolve("cache/items/items-abc.u8.failures")), "with its sidecar");
        assertTrue(Files.exists(dir.resolve("cache/models/new")));
    }

    @Test
    void theDefaultFolderFollowsEachSystemsConvention() {
        Path home = Path.of("/home/ann");
        assertEquals(Path.of("/home/ann/.cache/paddy"), MachineCache.defaultRoot(Map.of(), "Linux", home));
        assertEquals(Path.of("/xdg/paddy"), MachineCache.defaultRoot(Map.of("XDG_CACHE_HOME", "/xdg"), "Linux", home));
        assertEquals(Path.of("/home/ann/.cache/paddy"), MachineCache.defaultRoot(Map.of("XDG_CACHE_HOME", "rel"), "Linux", home),
                "a relative XDG_CACHE_HOME is ignored, as the spec says");
        assertEquals(Path.of("/home/ann/Library/Caches/paddy"), MachineCache.defaultRoot(Map.of(), "Mac OS X", home));
        assertEquals(Path.of("C:/Users/ann/AppData/Local").resolve("paddy").resolve("cache"),
                MachineCache.defaultRoot(Map.of("LOCALAPPDATA", "C:/Users/ann/AppData/Local"), "Windows 11", home));
    }

    private void age(String path, Instant when) throws IOException {
        Files.setLastModifiedTime(dir.resolve(path), FileTime.from(when));
    }

    private static List<Byte> boxed(byte[] bytes) {
        List<Byte> list = new ArrayList<>();
        for (byte b : bytes) {
            list.add(b);
        }
        return list;
    }
}
