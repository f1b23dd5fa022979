package dev.paddy.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddy.TinyPaddy;
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
 * SIGKILL of a child JVM).
 */
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

    @Test
    void aBuildKilledDuringAnEpochResumesAndWritesTheSameSubmission() throws Exception {
        TinyPaddy.create(dir, 3, 40, 12);
        Path manifest = TinyPaddy.manifest(dir, TinyPaddy.minimalYaml(MEMBERS));

        Path whole = dir.resolve("whole");
        Process uninterrupted = ChildBuild.start(dir.resolve("whole.log"), "run", manifest.toString(), whole.toString());
        assertEquals(0, waitFor(uninterrupted), Files.readString(dir.resolve("whole.log")));

        Path resumed = dir.resolve("resumed");
        Process killed = ChildBuild.start(dir.resolve("killed.log"), "run", manifest.toString(), resumed.toString());
        Path progress = resumed.resolve("members/res/checkpoint/progress.json");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!Files.exists(progress) && killed.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(killed.isAlive(), "the build was still running when the first checkpoint appeared");
        killed.destroyForcibly(); // SIGKILL: no shutdown hook, no finally
        assertEquals(137, waitFor(killed), "killed by SIGKILL");
        assertFalse(Files.exists(resumed.resolve("members/res/model.params")), "killed before the end of training");

        Process again = ChildBuild.start(dir.resolve("again.log"), "run", manifest.toString(), resumed.toString());
        assertEquals(0, waitFor(again), Files.readString(dir.resolve("again.log")));
        String againLog = Files.readString(dir.resolve("again.log"));
        assertTrue(againLog.contains("res: trains (interrupted before its end: a checkpoint is there)"), againLog);
        Matcher resume = Pattern.compile("res: resuming after epoch (\\d) of 3").matcher(againLog);
        assertTrue(resume.find(), againLog);
        int from = Integer.parseInt(resume.group(1));
        assertTrue(from >= 1 && from < 3, "resumed after epoch " + from);
        assertFalse(againLog.contains("res epoch 1/3  train_loss"), "epoch 1 was not trained again");

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
        System.out.printf("resume after epoch %d: max |p_whole - p_resumed| = %.3g%n", from, maxDifference);
        assertTrue(maxDifference <= 1e-6, "probabilities differ by " + maxDifference);
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
