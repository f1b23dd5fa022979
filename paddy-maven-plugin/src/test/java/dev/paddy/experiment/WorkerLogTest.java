package dev.paddy.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddy.engine.Numerics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker's side of its log and what the build reads from a dead worker's crash log. */
class WorkerLogTest {
    @TempDir
    Path dir;

    @Test
    void messagesTravelOneLineEachAndOtherOutputIsNoMessage() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        WorkerLog log = new WorkerLog(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        log.mute(true);
        log.info("data: said by the build already");
        log.mute(false);
        log.info("a: epoch 1/3\ttrain_loss 0.5");
        log.warn("two\nlines, \"quoted\", é");
        log.error("member 'a' ran out of memory");
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(3, lines.size(), "muted messages are dropped; a message with a newline stays one line: " + lines);
        assertEquals(Optional.of(new WorkerLog.Line("info", "a: epoch 1/3\ttrain_loss 0.5")), WorkerLog.parse(lines.get(0)));
        assertEquals(Optional.of(new WorkerLog.Line("warn", "two\nlines, \"quoted\", é")), WorkerLog.parse(lines.get(1)));
        assertEquals(Optional.of(new WorkerLog.Line("error", "member 'a' ran out of memory")), WorkerLog.parse(lines.get(2)));

        assertEquals(Optional.empty(), WorkerLog.parse("[main] INFO ai.djl.pytorch.jni.LibUtils - Using libtorch"));
        assertEquals(Optional.empty(), WorkerLog.parse(lines.get(0).substring(0, lines.get(0).length() / 2)),
                "a line a crash cut short");
        assertEquals(Optional.empty(), WorkerLog.parse("@paddy-worker {\"level\":\"info\"}"), "no text");
    }

    @Test
    void aCrashLogGivesItsSignalAndProblematicFrame() throws Exception {
        Path crash = Files.writeString(dir.resolve("a.train.hs_err_pid42.log"), """
                #
                # A fatal error has been detected by the Java Runtime Environment:
                #
                #  SIGSEGV (0xb) at pc=0x00007f3a1c2d3e4f, pid=42, tid=43
                #
                # JRE version: OpenJDK Runtime Environment (17.0.15+6)
                # Problematic frame:
                # C  [libtorch_cpu.so+0x1b2c3d]  at::native::conv2d+0x4d
                #
                """);
        assertEquals("SIGSEGV in C  [libtorch_cpu.so+0x1b2c3d]  at::native::conv2d+0x4d",
                WorkerProcesses.crashSummary(crash));
        assertEquals("", WorkerProcesses.crashSummary(Files.writeString(dir.resolve("other.log"), "no crash here\n")));
    }

    @Test
    void portableNumericsPinTheIsaPathsAndOneThreadAndTheMachinesOnlyAShareOfTheCores() {
        var portable = Numerics.PORTABLE.environment(4);
        assertEquals("AVX2", portable.get("ONEDNN_MAX_CPU_ISA"));
        assertEquals("avx2", portable.get("ATEN_CPU_CAPABILITY"));
        assertEquals("AVX2", portable.get("MKL_CBWR"));
        assertEquals("1", portable.get("OMP_NUM_THREADS"), "whatever the share of the cores");
        assertTrue(Numerics.PORTABLE.jvmOptions(4).containsAll(List.of("-Dai.djl.pytorch.num_threads=1",
                "-Dai.djl.pytorch.num_interop_threads=1")));
        assertEquals(java.util.Map.of(), Numerics.MACHINE.environment(0), "libtorch's own choices");
        assertEquals("2", Numerics.MACHINE.environment(2).get("OMP_NUM_THREADS"));
        assertEquals(List.of("-Dai.djl.pytorch.num_threads=2"), Numerics.MACHINE.jvmOptions(2));
    }
}
