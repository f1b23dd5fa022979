package dev.paddy.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddy.manifest.SeedPolicy;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeds decide each member's split, initial weights and augmentation: a fixed base must give
 * every member its own seed, the same on a clean machine; a random draw must be recorded so the
 * member's cached results stay valid in later builds.
 */
class SeedsTest {
    @TempDir
    Path dir;

    @Test
    void withoutASeedKeyTwoFreshRunnersGiveEachMemberTheSameSeedAndKeySoTheyShare() throws Exception {
        dev.paddy.TinyPaddy.create(dir, 3, 4, 6);
        Path manifest = dev.paddy.TinyPaddy.manifest(dir, dev.paddy.TinyPaddy.minimalYaml("""
                members:
                  - name: res
                    arch: resnet18
                  - name: cnx
                    arch: convnext_atto
                """));
        var first = Experiment.open(manifest, dir.resolve("runner-1/target/paddy"), new CollectedLog()).members(Set.of());
        var second = Experiment.open(manifest, dir.resolve("runner-2/target/paddy"), new CollectedLog()).members(Set.of());
        assertEquals(first.stream().map(m -> m.keys().tta()).toList(), second.stream().map(m -> m.keys().tta()).toList(),
                "the same TTA keys: one runner's shared predictions are the other's");
        assertNotEquals(first.get(0).seed(), first.get(1).seed(), "each member its own seed, so its own split");
        assertEquals(new Seeds(dir.resolve("none")).seedFor("res", SeedPolicy.fixed(0)), first.get(0).seed(),
                "the default is base 0");
        assertFalse(Files.exists(dir.resolve("runner-1/target/paddy/seeds.properties")), "nothing drawn");
    }

    @Test
    void aFixedBaseGivesEachMemberItsOwnStableSeedWithoutWritingAFile() throws Exception {
        Path file = dir.resolve("seeds.properties");
        Seeds seeds = new Seeds(file);
        long a = seeds.seedFor("res", SeedPolicy.fixed(42));
        long b = seeds.seedFor("cnx", SeedPolicy.fixed(42));
        long c = seeds.seedFor("res", SeedPolicy.fixed(43));
        assertEquals(3, Set.of(a, b, c).size(), "distinct across members and bases: " + a + ", " + b + ", " + c);
        assertEquals(a, seeds.seedFor("res", SeedPolicy.fixed(42)));
        assertEquals(a, new Seeds(dir.resolve("elsewhere.properties")).seedFor("res", SeedPolicy.fixed(42)),
                "a fixed seed depends on nothing recorded");
        assertTrue(a >= 0 && b >= 0 && c >= 0, "non-negative");
        assertFalse(Files.exists(file), "nothing to record for a fixed base");
    }

    @Test
    void aRandomSeedIsDrawnOnceRecordedAndReadBackByALaterBuild() throws Exception {
        Path file = dir.resolve("seeds.properties");
        long drawn = new Seeds(file).seedFor("res", SeedPolicy.random());

        Properties recorded = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            recorded.load(in);
        }
        assertEquals(Long.toString(drawn), recorded.getProperty("res"));
        assertEquals(1, recorded.size());

        Seeds later = new Seeds(file);
        assertEquals(drawn, later.seedFor("res", SeedPolicy.random()));
        long other = later.seedFor("cnx", SeedPolicy.random());
        assertNotEquals(drawn, other, "another member draws its own");
        assertEquals(other, new Seeds(file).seedFor("cnx", SeedPolicy.random()));
        assertEquals(drawn, new Seeds(file).seedFor("res", SeedPolicy.random()), "recording cnx kept res");
    }
}
