package dev.paddy.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddy.ChildJvm;
import dev.paddy.TinyPaddy;
import dev.paddy.Training;
import dev.paddy.io.MachineCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Members trained in worker JVMs, for real: {@code numerics: portable} gives the same bytes on a
 * "machine" whose CPU offers less (oneDNN capped at AVX2) and whose cores are fewer (one thread),
 * with two workers at once as with one after the other; a worker killed mid-epoch (SIGSEGV, then
 * SIGKILL) fails its member in one line, and the next builds resume from its checkpoint to the
 * same bytes. Another machine is stood in for by the workers' environment
 * ({@link Experiment.Workers#environment()}), which a member's numerics override.
 */
@Training
@ChildJvm
class WorkerTest {
    /**
     * This machine with two threads: oneDNN takes the widest ISA the CPU has (failsafe's one thread
     * per test JVM, which the workers would inherit, is overridden).
     */
    static final Map<String, String> THIS_MACHINE = Map.of("OMP_NUM_THREADS", "2", "MKL_NUM_THREADS", "2");
    /** A machine with AVX2 and no AVX-512, and one core. */
    static final Map<String, String> SMALLER_MACHINE = Map.of("ONEDNN_MAX_CPU_ISA", "AVX2", "OMP_NUM_THREADS", "1",
            "MKL_NUM_THREADS", "1");
    static final List<String> WORKER_JVM = List.of("-Xmx1g");

    static final String MEMBERS = """
            defaults:
              epochs: 3
              batch_size: 16
              item: {resize: squish, size: 28}
              input_size: 24
              seed: 5
              numerics: %s
            members:
              - name: a
                arch: resnet18
                accum: 2
                epochs: 1
              - name: b
                arch: resnet18
                seed: 6
            tta: {n: 1}
            parallel: %d
            """;

    @TempDir
    static Path dir;

    /** The portable build, one worker after the other, on this machine: what every other build is compared with. */
    static Path reference;

    @BeforeAll
    static void portableOnThisMachine() throws Exception {
        TinyPaddy.create(dir, 3, 32, 12);
        reference = dir.resolve("portable-here");
        build(manifest("portable", 1), reference, THIS_MACHINE, new CollectedLog());
    }

    @Test
    void portableNumericsGiveTheSameBytesOnASmallerMachineWithTwoWorkersAtOnce() throws Exception {
        Path smaller = dir.resolve("portable-smaller");
        CollectedLog log = new CollectedLog();
        build(manifest("portable", 2), smaller, SMALLER_MACHINE, log);
        assertTrue(log.has("a: worker") && log.has("b: worker") && log.has("numerics portable"), log.lines.toString());
        for (String member : List.of("a", "b")) {
            assertArrayEquals(Files.readAllBytes(reference.resolve("members/" + member + "/model.params")),
                    Files.readAllBytes(smaller.resolve("members/" + member + "/model.params")),
                    member + "'s weights: the CPU's widest ISA and 2 threads, one after the other, vs AVX2, one"
                            + " thread, two workers at once");
            assertArrayEquals(Files.readAllBytes(predictions(reference, member)), Files.readAllBytes(predictions(smaller, member)),
                    member + "'s TTA predictions");
        }

        // The machine's numerics, for the record: the same two machines, member a alone.
        Path here = dir.resolve("machine-here");
        Path there = dir.resolve("machine-smaller");
        open(manifest("machine", 1), here, THIS_MACHINE, new CollectedLog()).train(Set.of("a"));
        open(manifest("machine", 1), there, SMALLER_MACHINE, new CollectedLog()).train(Set.of("a"));
        boolean differ = !Arrays.equals(Files.readAllBytes(here.resolve("members/a/model.params")),
                Files.readAllBytes(there.resolve("members/a/model.params")));
        System.out.printf("numerics machine: weights %s between this machine (2 threads, oneDNN's widest ISA: %s) and"
                + " one capped at AVX2 with 1 thread; numerics portable: identical%n", differ ? "DIFFER" : "are identical",
                dev.paddy.engine.RunEnvironment.Cpu.current().isa());
    }

    @Test
    void aWorkerKilledMidEpochFailsItsMemberInOneLineAndTheNextBuildsResumeToTheSameBytes() throws Exception {
        Path out = dir.resolve("killed");
        Path manifest = manifest("portable", 1);

        // SIGSEGV in b's second epoch: a is done, b fails in one line naming its crash log and checkpoint.
        ExperimentException crash = killDuring(manifest, out, "b", 1, "SEGV");
        String message = crash.getMessage();
        System.out.println("after SIGSEGV: " + message);
        assertFalse(message.contains("\n"), "one line: " + message);
        assertTrue(message.startsWith("member 'b': its worker crashed while training: SIGSEGV in "), message);
        assertTrue(message.contains(" (exit 134); crash log " + out.resolve("workers")), message);
        assertTrue(message.contains("Its checkpoint after epoch 1 is kept: the next build resumes from it. Done: a."),
                message);
        Matcher crashLog = Pattern.compile("crash log (\\S+);").matcher(message);
        assertTrue(crashLog.find() && Files.isRegularFile(Path.of(crashLog.group(1))), message);

        // SIGKILL in the resumed build's next epoch.
        ExperimentException killed = killDuring(manifest, out, "b", 2, "KILL");
        System.out.println("after SIGKILL: " + killed.getMessage());
        assertTrue(killed.getMessage().startsWith("member 'b': its worker died while training: killed (SIGKILL, exit 137"),
                killed.getMessage());
        assertTrue(killed.getMessage().endsWith("Its checkpoint after epoch 2 is kept: the next build resumes from it."),
                killed.getMessage());
        assertFalse(killed.getMessage().contains("Done:"), "a was cached, not done by this build: " + killed.getMessage());

        CollectedLog last = new CollectedLog();
        build(manifest, out, THIS_MACHINE, last);
        assertTrue(last.has("b: resuming after epoch 2 of 3"), last.lines.toString());
        assertFalse(last.has("b epoch 1/3  train_loss") || last.has("b epoch 2/3  train_loss"), last.lines.toString());
        for (String member : List.of("a", "b")) {
            assertArrayEquals(Files.readAllBytes(reference.resolve("members/" + member + "/model.params")),
                    Files.readAllBytes(out.resolve("members/" + member + "/model.params")), member + "'s weights");
        }
        assertArrayEquals(Files.readAllBytes(reference.resolve("submission.csv")), Files.readAllBytes(out.resolve("submission.csv")));
    }

    /**
     * Trains into {@code out} and kills {@code member}'s worker with {@code signal} as soon as its
     * checkpoint says {@code epochs} epochs are done; returns the build's failure.
     */
    private static ExperimentException killDuring(Path manifest, Path out, String member, int epochs, String signal)
            throws Exception {
        CollectedLog log = new CollectedLog();
        CompletableFuture<Void> build = CompletableFuture.runAsync(() -> {
            try {
                open(manifest, out, THIS_MACHINE, log).train(Set.of());
            } catch (ExperimentException e) {
                throw new FailedBuild(e);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Path progress = out.resolve("members/" + member + "/checkpoint/progress.json");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (epochsDone(progress) < epochs && !build.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        ProcessHandle worker = ProcessHandle.current().children()
                .filter(p -> commandLine(p).contains(member + ".train.json")).findFirst()
                .orElseThrow(() -> new AssertionError("no worker of " + member + " alive: " + log.lines));
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(worker.pid())).inheritIO().start().waitFor());
        ExecutionException failed = assertThrows(ExecutionException.class, () -> build.get(5, TimeUnit.MINUTES));
        assertTrue(failed.getCause() instanceof FailedBuild, String.valueOf(failed.getCause()));
        assertEquals(epochs, epochsDone(progress), "killed during epoch " + (epochs + 1) + ", before its checkpoint");
        return ((FailedBuild) failed.getCause()).failure;
    }

    /** A process's whole command line (ProcessHandle.Info cuts a long one short: the class path is long). */
    private static String commandLine(ProcessHandle process) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline")),
                    java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            return process.info().commandLine().orElse("");
        }
    }

    /** The build's ExperimentException, through the future. */
    private static final class FailedBuild extends RuntimeException {
        final ExperimentException failure;

        FailedBuild(ExperimentException failure) {
            super(failure);
            this.failure = failure;
        }
    }

    static final Pattern EPOCHS_DONE = Pattern.compile("\"epochsDone\"\\s*:\\s*(\\d+)");

    private static int epochsDone(Path progress) {
        try {
            Matcher m = EPOCHS_DONE.matcher(Files.readString(progress));
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static Path manifest(String numerics, int parallel) throws IOException {
        Path manifest = dir.resolve("paddy-" + numerics + "-" + parallel + ".yaml");
        Files.writeString(manifest, TinyPaddy.minimalYaml(String.format(MEMBERS, numerics, parallel)));
        return manifest;
    }

    private static Experiment open(Path manifest, Path out, Map<String, String> machine, ExperimentLog log) throws Exception {
        return Experiment.open(manifest, out, log, new Experiment.Options(List.of(), SharedPredictions.NONE,
                MachineCache.OFF, new Experiment.Workers(true, WORKER_JVM, machine)));
    }

    /** Trains and predicts every member, and writes the submission. */
    private static void build(Path manifest, Path out, Map<String, String> machine, CollectedLog log) throws Exception {
        Experiment experiment = open(manifest, out, machine, log);
        experiment.train(Set.of());
        experiment.tta(Set.of());
        experiment.submit();
    }

    private static Path predictions(Path out, String member) throws IOException {
        try (var files = Files.list(out.resolve("predictions"))) {
            Optional<Path> probs = files.filter(f -> f.getFileName().toString().startsWith(member + "-")
                    && f.toString().endsWith(".probs")).findFirst();
            return probs.orElseThrow(() -> new AssertionError("no predictions of " + member + " in " + out));
        }
    }
}
