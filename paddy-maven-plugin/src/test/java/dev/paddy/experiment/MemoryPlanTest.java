package dev.paddy.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.paddy.ChildJvm;
import dev.paddy.Training;
import dev.paddy.model.ModelSource;
import dev.paddy.TinyPaddy;
import dev.paddy.data.ImageFiles;
import dev.paddy.memory.ProbeRequest;
import dev.paddy.memory.ProbeResult;
import dev.paddy.memory.ProbeRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance check of the memory plan on the CPU: with a budget between the measured peaks
 * of accum=1 and accum=2, the plan picks 2, and training the member stays under the budget,
 * measured the same way (peak resident memory over the baseline before the model is built), and
 * within 10% of the probe's prediction.
 */
@Training
@ChildJvm
class MemoryPlanTest {
    @TempDir
    Path dir;

    @Test
    void aBudgetBetweenThePeaksOfAccum1And2PicksAccum2AndTrainingStaysUnder() throws Exception {
        planBetweenPeaks(dir, 72, 64);
    }

    /**
     * Probes accum 1 and 2 of a ResNet18 at the given sizes, sets the budget half-way between
     * their peaks, and checks that the plan picks 2 and that training stays under the budget.
     */
    static void planBetweenPeaks(Path dir, int itemSize, int inputSize) throws Exception {
        TinyPaddy.create(dir, 3, 40, 6);
        List<String> smallest = ImageFiles.list(dir.resolve("data/train_images/ankle_boot")).stream()
                .map(Path::toString).toList();
        // Probed where the experiment keeps its probes, as its plan will ask: the plan takes these measurements.
        ProbeRunner runner = new ProbeRunner(dir.resolve("out/probes"), List.of(), 600);
        long[] peaks = new long[3];
        for (int accum : new int[] {1, 2}) {
            ProbeResult result = runner.probe("res", new ProbeRequest(ModelSource.builtIn("resnet18"), 3, "SQUISH", itemSize, inputSize,
                    "ADAMW", 0.01, 64, accum, MemoryStage.PROBE_STEPS, smallest));
            assertTrue(result.completed(), result.reason());
            peaks[accum] = result.peakBytes();
        }
        System.out.printf(Locale.ROOT, "probe peaks: accum 1 %.1f MiB, accum 2 %.1f MiB%n",
                peaks[1] / 1048576.0, peaks[2] / 1048576.0);
        assertTrue(peaks[1] > peaks[2] * 1.15, "micro-batches of 32 need clearly less than 64");
        long budgetMiB = (peaks[1] + peaks[2]) / 2 / (1 << 20);

        Path manifest = TinyPaddy.manifest(dir, TinyPaddy.minimalYaml("""
                budget: %dMiB
                budget_margin: 0
                defaults:
                  epochs: 6
                  batch_size: 64
                  item: {resize: squish, size: %d}
                  input_size: %d
                  seed: 5
                members:
                  - name: res
                    arch: resnet18
                """.formatted(budgetMiB, itemSize, inputSize)));
        // 6 epochs of 2 steps: about as many steps as the probe takes, so the peaks compare.
        // Trained in a JVM of its own, as 'mvn paddy:train' would: in this one, memory that earlier
        // tests freed stays resident and would hide most of the training's peak.
        Path log = dir.resolve("train.log");
        Process training = ChildBuild.start(ChildBuild.MEASURED_HEAP, log, "train", manifest.toString(),
                dir.resolve("out").toString());
        assertTrue(training.waitFor(15, java.util.concurrent.TimeUnit.MINUTES), "training finished");
        assertEquals(0, training.exitValue(), Files.readString(log));
        assertTrue(Files.readString(log).contains("trained 1"), Files.readString(log));
        assertEquals(2, Files.readString(log).lines().filter(l -> l.endsWith("(measured before)")).count(),
                "the plan took both factors from the probes above, nothing changed that they depend on: " + Files.readString(log));
        Experiment experiment = Experiment.open(manifest, dir.resolve("out"), ExperimentLog.console());
        assertEquals(2, experiment.members(Set.of()).get(0).accum(), "the plan chose accum 2");

        JsonObject plan = JsonParser.parseString(Files.readString(experiment.layout().memoryPlan()))
                .getAsJsonObject().getAsJsonObject("members").getAsJsonObject("res");
        assertEquals(2, plan.get("accum").getAsInt());
        assertEquals(2, plan.getAsJsonArray("trials").size(), "accum 1 did not fit, accum 2 did");

        JsonObject trained = JsonParser.parseString(Files.readString(dir.resolve("out/members/res/training.json")))
                .getAsJsonObject();
        double trainingPeak = trained.get("peakMemoryMiB").getAsDouble();
        double predicted = plan.getAsJsonArray("trials").get(1).getAsJsonObject().get("peakMiB").getAsDouble();
        System.out.printf(Locale.ROOT, "budget %d MiB: predicted peak %.1f MiB, training peak %.1f MiB (%+.1f%%)%n",
                budgetMiB, predicted, trainingPeak, 100 * (trainingPeak / predicted - 1));
        assertTrue(trainingPeak <= budgetMiB, "training stayed under the budget: " + trainingPeak + " MiB");
        assertTrue(Math.abs(trainingPeak / predicted - 1) <= 0.10, "the probe predicted the training's peak within 10%");

        // The plan is reused while nothing that affects memory changes.
        assertEquals(0, Experiment.open(manifest, dir.resolve("out"), ExperimentLog.console()).planMemory(Set.of(), false).ran().size());
    }
}
