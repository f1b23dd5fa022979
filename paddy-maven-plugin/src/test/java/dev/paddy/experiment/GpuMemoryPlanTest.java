package dev.paddy.experiment;

import dev.paddy.ChildJvm;
import dev.paddy.Training;
import dev.paddy.engine.Engines;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory plan on a real card: GPU peaks (device memory in use, sampled during the probe) at
 * 224 px. Needs a CUDA GPU and the CUDA native library: 'mvn verify -Pcuda' on a GPU runner.
 * Elsewhere it is skipped, and says why.
 */
@Training
@ChildJvm
class GpuMemoryPlanTest {
    @TempDir
    Path dir;

    @BeforeEach
    void needsAGpu() {
        int gpus = Engines.pytorch().getGpuCount();
        String reason = "GpuMemoryPlanTest skipped: PyTorch sees no CUDA GPU here (" + Engines.version()
                + "); run 'mvn verify -Pcuda' on a GPU runner";
        if (gpus == 0) {
            System.out.println(reason);
        }
        Assumptions.assumeTrue(gpus > 0, reason);
    }

    @Test
    void aBudgetBetweenTheGpuPeaksOfAccum1And2PicksAccum2AndTrainingStaysUnder() throws Exception {
        MemoryPlanTest.planBetweenPeaks(dir, 256, 224);
    }
}
