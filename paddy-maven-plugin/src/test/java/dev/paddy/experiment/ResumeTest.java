package dev.paddy.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddy.ChildJvm;
import dev.paddy.TinyPaddy;
import dev.paddy.Training;
import dev.paddy.ensemble.Predictions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a build during an epoch, then the same build again: it resumes after the last
 * finished epoch and ends exactly where an uninterrupted build ends (real training, real
 * SIGKILL of a child JVM). For a member trained from scratch, and for one fine-tuning a
 * TorchScript body killed in either phase of fine_tune: inside the frozen phase and inside the
 * unfrozen one (where the optimizer state of the phase must come back, not be cleared).
 */
@Training
@ChildJvm
class ResumeTest {
    @TempDir
    Path dir;

    static final String MEMBERS = """
            defaults:
              epochs: 3
              batch_size: 16
              item: {resize: squish, size: 28}
              input_size: 24
              seed: 5
            members:
              - name: res
                arch: resnet18
                accum: 2
            tta: {n: 1}
            """;

    /**
     * The fixture body of FineTuneTest (src/test/resources/torchscript) with fastai's head: 2
     * frozen epochs, then 2 unfrozen, with accumulation. fastai's head has dropout, so this also
     * needs the random draws of a resumed epoch to be those of the uninterrupted one.
     */
    static final String FINE_TUNE = """
            defaults:
              batch_size: 16
              item: {resize: squish, size: 36}
              input_size: 32
              seed: 5
            members:
              - name: ft
                weights: models/spatial-body.pt
                schedule: fine_tune
                freeze_epochs: 2
                epochs: 2
                lr: 0.01
                accum: 2
            tta: {n: 1}
            """;

    static final Pattern EPOCHS_DONE = Pattern.compile("\"epochsDone\"\\s*:\\s*(\\d+)");

    @Test
    void aBuildKilledDuringAnEpochResumesAndWritesTheSameSubmission() throws Exception {
        TinyPaddy.create(dir, 3, 40, 12);
        Path manifest = TinyPaddy.manifest(dir, TinyPaddy.minimalYaml(MEMBERS));
        Path whole = uninterrupted(manifest);

        Path resumed = dir.resolve("resumed");
        killAfterCheckpoint(manifest, resumed, "res", 1);
        int from = resumeAndCompare(manifest, whole, resumed, "res", 3);
        assertTrue(from >= 1 && from < 3, "resumed after epoch " + from);
    }

    @Test
    void aFineTuneBuildKilledInTheFrozenOrTheUnfrozenPhaseResumesAndWritesTheSameSubmission() throws Exception {
        TinyPaddy.create(dir, 3, 60, 12);
        Path models = Files.createDirectories(dir.resolve("models"));
        Files.copy(Path.of("src/test/resources/torchscript/spatial-body.pt"), models.resolve("spatial-body.pt"));
        Path manifest = TinyPaddy.manifest(dir, TinyPaddy.minimalYaml(FINE_TUNE));
        Path whole = uninterrupted(manifest);
        String log = Files.readString(dir.resolve("whole.log"));
        assertTrue(log.contains("ft epoch 2/4") && log.contains("ft epoch 4/4"), "2 frozen + 2 unfrozen epochs: " + log);

        // Epoch 1's checkpoint: one frozen epoch done, the frozen phase's second still to run.
        // Epoch 3's checkpoint: the unfrozen phase half done, its optimizer state in the checkpoint.
        for (int epochsDone : new int[] {1, 3}) {
            Path resumed = dir.resolve("resumed-" + epochsDone);
            killAfterCheckpoint(manifest, resumed, "ft", epochsDone);
            assertEquals(epochsDone, resumeAndCompare(manifest, whole, resumed, "ft", 4),
                    (epochsDone < 3 ? "frozen" : "unfrozen") + " phase");
        }
    }

    /** Runs the whole build in a child JVM, into {@code whole/}. */
    private Path uninterrupted(Path manifest) throws Exception {
        Path whole = dir.resolve("whole");
        Process uninterrupted = ChildBuild.start(dir.resolve("whole.log"), "run", manifest.toString(), whole.toString());
        assertEquals(0, waitFor(uninterrupted), Files.readString(dir.resolve("whole.log")));
        return whole;
    }

    /**
     * Starts the build into {@code out} and kills it with SIGKILL as soon as the member's
     * checkpoint says {@code epochs} epochs are done, so the build dies during the next epoch.
     */
    private void killAfterCheckpoint(Path manifest, Path out, String member, int epochs) throws Exception {
        Path log = dir.resolve(out.getFileName() + "-killed.log");
        Process killed = ChildBuild.start(log, "run", manifest.toString(), out.toString());
        Path progress = out.resolve("members/" + member + "/checkpoint/progress.json");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (epochsDone(progress) < epochs && killed.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertTrue(killed.isAlive(), "the build was still running when epoch " + epochs + "'s checkpoint appeared: "
                + Files.readString(log));
        killed.destroyForcibly(); // SIGKILL: no shutdown hook, no finally
        assertEquals(137, waitFor(killed), "killed by SIGKILL");
        assertEquals(epochs, epochsDone(progress), "killed during epoch " + (epochs + 1) + ", before its checkpoint");
        assertFalse(Files.exists(out.resolve("members/" + member + "/model.params")), "killed before the end of training");
    }

    /** The epochs a checkpoint's progress.json says are done; 0 while there is none. */
    private static int epochsDone(Path progress) {
        try {
            Matcher m = EPOCHS_DONE.matcher(Files.readString(progress));
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        } catch (java.io.IOException e) {
            return 0; // not written yet (it appears by an atomic rename: never half-written)
        }
    }

    /**
     * Runs the build into {@code resumed} again and checks it resumed and wrote what the
     * uninterrupted build wrote, byte for byte.
     *
     * @return the epoch it resumed after
     */
    private int resumeAndCompare(Path manifest, Path whole, Path resumed, String member, int totalEpochs)
            throws Exception {
        Path logFile = dir.resolve(resumed.getFileName() + "-again.log");
        Process again = ChildBuild.start(logFile, "run", manifest.toString(), resumed.toString());
        assertEquals(0, waitFor(again), Files.readString(logFile));
        String againLog = Files.readString(logFile);
        assertTrue(againLog.contains(member + ": trains (interrupted before its end: a checkpoint is there)"), againLog);
        Matcher resume = Pattern.compile(member + ": resuming after epoch (\\d+) of " + totalEpochs).matcher(againLog);
        assertTrue(resume.find(), againLog);
        int from = Integer.parseInt(resume.group(1));
        for (int e = 1; e <= from; e++) {
            assertFalse(againLog.contains(member + " epoch " + e + "/" + totalEpochs + "  train_loss"),
                    "epoch " + e + " was not trained again");
        }

        assertArrayEquals(Files.readAllBytes(whole.resolve("submission.csv")),
                Files.readAllBytes(resumed.resolve("submission.csv")), "byte-identical submission");
        float[][] a = onlyPredictions(whole).probabilities();
        float[][] b = onlyPredictions(resumed).probabilities();
        double maxDifference = 0;
        for (int i = 0; i < a.length; i++) {
            for (int c = 0; c < a[i].length; c++) {
                maxDifference = Math.max(maxDifference, Math.abs(a[i][c] - b[i][c]));
            }
        }
        System.out.printf("%s: resume after epoch %d of %d: max |p_whole - p_resumed| = %.3g%n", member, from,
                totalEpochs, maxDifference);
        assertTrue(maxDifference <= 1e-6, "probabilities differ by " + maxDifference);
        return from;
    }

    private static Predictions onlyPredictions(Path out) throws Exception {
        try (var files = Files.list(out.resolve("predictions"))) {
            List<Path> probs = files.filter(f -> f.toString().endsWith(".probs")).toList();
            assertEquals(1, probs.size(), probs.toString());
            try (var in = new java.io.DataInputStream(Files.newInputStream(probs.get(0)))) {
                in.readInt();
                in.readInt();
                return Predictions.read(probs.get(0), in.readUTF()).orElseThrow();
            }
        }
    }

    private static int waitFor(Process process) throws InterruptedException {
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
