package dev.paddy.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddy.ChildJvm;
import dev.paddy.Training;
import dev.paddy.model.ModelSource;
import dev.paddy.TinyPaddy;
import dev.paddy.data.ImageFiles;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Probes run in child JVMs: a finished probe reports its peak, a killed one is "does not fit". */
@Training
@ChildJvm
class MemoryProbeTest {
    @TempDir
    Path dir;

    static ProbeRequest small(int batch) {
        List<String> images = ImageFiles.list(TinyPaddy.EXAMPLE_DATA.resolve("train_images/bag")).subList(0, 8)
                .stream().map(Path::toString).toList();
        return new ProbeRequest(ModelSource.builtIn("convnext_atto"), 10, "SQUISH", 20, 16, "ADAMW", 0.01, batch, 1, 2, images);
    }

    @Test
    void aProbeReportsThePeakOverItsBaseline() throws Exception {
        ProbeResult result = new ProbeRunner(dir, List.of(), 300).probe("m", small(8));
        assertTrue(result.completed(), result.reason());
        assertEquals("cpu()", result.device());
        assertTrue(result.peakBytes() > 1 << 20, "model, optimizer state and activations: " + result.peakBytes());
    }

    @Test
    void aProbeKilledForMemoryDoesNotFitAndTheSearchGoesOn() throws Exception {
        // A child with a 5 MiB heap runs out of memory: it dies of OutOfMemoryError before it can
        // write a result, or catches it and reports "out of memory" itself.
        List<String> lines = new ArrayList<>();
        MemoryPlanner planner = new MemoryPlanner(new ProbeRunner(dir, List.of("-Xmx5m"), 300), lines::add);
        MemoryBudget budget = new MemoryBudget(64L << 30, 0.05);
        MemoryPlan.Entry entry = planner.plan("starved", small(4), budget, "key", false);

        assertFalse(entry.fits());
        assertEquals(List.of(1, 2, 4), entry.trials().stream().map(MemoryPlan.Trial::accum).toList(),
                "every factor was tried after the first was killed");
        for (MemoryPlan.Trial trial : entry.trials()) {
            assertFalse(trial.fits());
            assertTrue(trial.reason().matches("(?is).*out ?of ?memory.*"), trial.reason());
        }
        assertEquals(3, lines.size());
        assertTrue(lines.get(0).contains("does not fit: "), lines.get(0));
        String message = MemoryPlanner.doesNotFit("starved", entry, budget);
        assertTrue(message.startsWith("member 'starved' does not fit the memory budget of 65536 MiB - 5% margin at any"
                + " accumulation factor: even accum 4 (micro-batch 1) failed: "), message);
    }
}
