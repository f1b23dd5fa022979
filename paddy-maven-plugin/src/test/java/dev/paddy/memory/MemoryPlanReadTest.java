package dev.paddy.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code memory-plan.json} saves re-probing: a missing or damaged file must mean "probe again",
 * never a failed build, and an entry is reused only for the exact key it was planned for.
 */
class MemoryPlanReadTest {
    @TempDir
    Path dir;

    private static final MemoryPlan.Entry ENTRY = new MemoryPlan.Entry("key-1", "cpu()", 3L << 30, 0.1, 2,
            List.of(new MemoryPlan.Trial(1, 64, 3500.5, false, "peak 3500.5 MiB over the budget", 12.5),
                    new MemoryPlan.Trial(2, 32, 2100.25, true, null, 8.0)));

    @Test
    void aMissingFileIsAnEmptyPlan() {
        List<String> said = new java.util.ArrayList<>();
        assertEquals(Optional.empty(), MemoryPlan.read(dir.resolve("memory-plan.json"), said::add).entry("res", "key-1"));
        assertEquals(List.of(), said, "a missing plan is nothing to report");
    }

    @Test
    void aDamagedFileIsAnEmptyPlanNotAnError() throws Exception {
        Path file = dir.resolve("memory-plan.json");
        MemoryPlan plan = MemoryPlan.empty();
        plan.put("res", ENTRY);
        plan.write(file);
        String whole = Files.readString(file);
        for (String damaged : List.of(whole.substring(0, whole.length() / 2), "not json {", "", "[1, 2]",
                "{\"members\": 5}", "{\"members\": {\"res\": [\"x\"]}}", "{\"members\": {\"res\": {}}}",
                "{\"members\": {\"res\": {\"key\": \"key-1\"}}}")) {
            Files.writeString(file, damaged);
            List<String> said = new java.util.ArrayList<>();
            assertEquals(Optional.empty(), MemoryPlan.read(file, said::add).entry("res", "key-1"), damaged);
            assertEquals(1, said.size(), damaged);
            assertTrue(said.get(0).startsWith(file + ": cannot be read ("), said.get(0));
        }
    }

    @Test
    void anEntryWrittenIsReadBackForItsKeyOnly() throws Exception {
        Path file = dir.resolve("memory-plan.json");
        MemoryPlan plan = MemoryPlan.empty();
        plan.put("res", ENTRY);
        plan.write(file);

        MemoryPlan read = MemoryPlan.read(file, why -> { throw new AssertionError(why); });
        assertEquals(Optional.of(ENTRY), read.entry("res", "key-1"));
        assertTrue(read.entry("res", "key-1").orElseThrow().fits());
        assertEquals(Optional.empty(), read.entry("res", "key-2"), "planned for another key");
        assertEquals(Optional.empty(), read.entry("cnx", "key-1"), "another member");
    }
}
