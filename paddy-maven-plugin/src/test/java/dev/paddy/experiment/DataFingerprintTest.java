package dev.paddy.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddy.io.Hashing;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data fingerprint is part of every cache key: it must change with any file's content or
 * name, and it trusts its cache of content hashes by (size, modification time), which is what
 * makes fingerprinting an unchanged data set cheap.
 */
class DataFingerprintTest {
    @TempDir
    Path dir;

    private Path root() throws Exception {
        Path root = Files.createDirectories(dir.resolve("data/train_images/bag"));
        Files.write(root.resolve("1.png"), new byte[] {1, 2, 3, 4});
        Files.write(root.resolve("2.png"), new byte[] {5, 6, 7, 8});
        return dir.resolve("data");
    }

    private static List<Path> files(Path root) {
        Path bag = root.resolve("train_images/bag");
        return List.of(bag.resolve("1.png"), bag.resolve("2.png"));
    }

    @Test
    void theSameFilesGiveTheSameFingerprintWithOrWithoutACache() throws Exception {
        Path root = root();
        String first = DataFingerprint.of(root, files(root), dir.resolve("a.properties"));
        assertEquals(64, first.length());
        assertEquals(first, DataFingerprint.of(root, files(root), dir.resolve("a.properties")));
        assertEquals(first, DataFingerprint.of(root, files(root), dir.resolve("b.properties")));
    }

    @Test
    void changingOneFilesContentChangesIt() throws Exception {
        Path root = root();
        Path cache = dir.resolve("fingerprint.properties");
        String before = DataFingerprint.of(root, files(root), cache);
        Files.write(files(root).get(1), new byte[] {5, 6, 7, 9, 10});
        assertNotEquals(before, DataFingerprint.of(root, files(root), cache));
    }

    @Test
    void renamingAFileChangesIt() throws Exception {
        Path root = root();
        Path cache = dir.resolve("fingerprint.properties");
        String before = DataFingerprint.of(root, files(root), cache);
        Path bag = root.resolve("train_images/bag");
        Files.move(bag.resolve("2.png"), bag.resolve("3.png"));
        assertNotEquals(before, DataFingerprint.of(root, List.of(bag.resolve("1.png"), bag.resolve("3.png")), cache));
    }

    /**
     * The cache contract: a file whose size and modification time are unchanged is not read
     * again. Rewriting it with other bytes of the same size and putting its time back keeps the
     * fingerprint; only a fingerprint without the cache sees the new content.
     */
    @Test
    void theCacheIsWrittenAndTrustedBySizeAndModificationTime() throws Exception {
        Path root = root();
        Path cache = dir.resolve("fingerprint.properties");
        String before = DataFingerprint.of(root, files(root), cache);

        Properties stored = new Properties();
        try (Reader in = Files.newBufferedReader(cache)) {
            stored.load(in);
        }
        Path file = files(root).get(0);
        assertEquals(2, stored.size());
        assertEquals("4:" + Files.getLastModifiedTime(file).toMillis() + ":" + Hashing.sha256(file),
                stored.getProperty("train_images/bag/1.png"));

        FileTime modified = Files.getLastModifiedTime(file);
        Files.write(file, new byte[] {9, 9, 9, 9});
        Files.setLastModifiedTime(file, modified);
        assertEquals(before, DataFingerprint.of(root, files(root), cache), "the cached hash was used");
        assertNotEquals(before, DataFingerprint.of(root, files(root), dir.resolve("fresh.properties")),
                "the file did change");
    }

    @Test
    void aDamagedCacheIsIgnoredAndRewritten() throws Exception {
        Path root = root();
        Path cache = dir.resolve("fingerprint.properties");
        String truth = DataFingerprint.of(root, files(root), dir.resolve("fresh.properties"));
        // An entry that would be trusted (its stamp matches, its hash is wrong), then a line
        // Properties cannot parse (a malformed unicode escape): the whole cache must be dropped.
        Path file = files(root).get(0);
        Files.writeString(cache, "train_images/bag/1.png=4:" + Files.getLastModifiedTime(file).toMillis() + ":"
                + "0".repeat(64) + "\ntrain_images/bag/2.png=\\uZZZZ\n");
        assertEquals(truth, DataFingerprint.of(root, files(root), cache));
        Properties stored = new Properties();
        try (Reader in = Files.newBufferedReader(cache)) {
            stored.load(in);
        }
        assertEquals(2, stored.size(), "rewritten whole: " + stored);
        assertTrue(stored.getProperty("train_images/bag/2.png").endsWith(":" + Hashing.sha256(files(root).get(1))));
    }

    @Test
    void aCacheEntryWithAnotherStampIsNotUsed() throws Exception {
        Path root = root();
        Path cache = dir.resolve("fingerprint.properties");
        String truth = DataFingerprint.of(root, files(root), dir.resolve("fresh.properties"));
        Files.writeString(cache, "train_images/bag/1.png=4:0:" + "0".repeat(64) + "\n");
        assertEquals(truth, DataFingerprint.of(root, files(root), cache));
    }
}
