package dev.paddy.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddy.io.MachineCache;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CacheMojoTest {
    @Test
    void agesAndSizesReadAsPeopleWriteThem() {
        assertEquals(Duration.ofDays(30), CacheMojo.duration("30d"));
        assertEquals(Duration.ofHours(12), CacheMojo.duration(" 12h "));
        assertEquals(Duration.ofMinutes(45), CacheMojo.duration("45m"));
        assertEquals(Duration.ofDays(2), CacheMojo.duration("P2D"));
        assertEquals(20L << 30, CacheMojo.bytes("20G"));
        assertEquals(500L << 20, CacheMojo.bytes("500MiB"));
        assertEquals(64L << 10, CacheMojo.bytes("64kb"));
        assertEquals(1234, CacheMojo.bytes("1234"));
    }

    @Test
    void aValueThatIsNoAgeOrSizeSaysWhatToWrite() {
        IllegalArgumentException age = assertThrows(IllegalArgumentException.class, () -> CacheMojo.duration("a month"));
        assertEquals("paddy.cache.maxAge 'a month' is not an age: write 30d, 12h, 45m or an ISO-8601 duration such as P30D",
                age.getMessage());
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> CacheMojo.bytes("2.5G"));
        assertTrue(size.getMessage().startsWith("paddy.cache.maxSize '2.5G' is not a size"), size.getMessage());
    }

    @Test
    void theSettingNamesTheUsersFolderNoneOrAFolderOfTheProject() {
        File project = new File("/work/project");
        assertFalse(CacheLocation.of("off", project, w -> { }).isOn());
        assertFalse(CacheLocation.of(" OFF ", project, w -> { }).isOn());
        assertEquals(Path.of("/work/project/.paddy-cache"), CacheLocation.of(".paddy-cache", project, w -> { }).root().orElseThrow());
        assertEquals(Path.of("/tmp/c"), CacheLocation.of("/tmp/c", project, w -> { }).root().orElseThrow());
        assertEquals(MachineCache.defaultRoot(System.getenv(), System.getProperty("os.name"),
                Path.of(System.getProperty("user.home"))).toAbsolutePath(), CacheLocation.of("", project, w -> { }).root().orElseThrow());
    }
}
