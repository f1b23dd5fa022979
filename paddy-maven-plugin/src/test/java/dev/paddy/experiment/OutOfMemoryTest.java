package dev.paddy.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.EngineException;
import dev.paddy.ChildJvm;
import dev.paddy.TinyPaddy;
import dev.paddy.engine.OutOfMemory;
import dev.paddy.manifest.ManifestLoader;
import dev.paddy.manifest.MemberSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A member that runs out of memory while it trains fails the build with a message that names it,
 * its micro-batch, what ran out and the ways out ('accum:', 'budget:' with paddy:probe-memory,
 * -Xmx), not a JVM dump or a stack trace. The table holds each way the failure arrives (PyTorch's
 * CPU and CUDA texts, Java's heap from a loader thread) and what is not one; two real builds run
 * out: of Java heap (a 224 px micro-batch of 64 under -Xmx32m) and of native memory (the same
 * under a 3 GiB address-space limit, prlimit --as, which fails PyTorch's allocation as a machine
 * without the memory would, without using it: safe on a shared machine, unlike provoking the kernel).
 */
class OutOfMemoryTest {
    @TempDir
    Path dir;

    static final String ADVICE = "Make the micro-batch smaller: raise this member's 'accum:' (a divisor of batch_size"
            + " 64: 2, 4, 8, 16, 32, 64), or set 'budget:' and 'accum: auto' and run 'mvn paddy:probe-memory', which"
            + " measures the accumulation that fits";

    record Case(String name, Throwable thrown, String described) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> failures() {
        OutOfMemoryError heap = new OutOfMemoryError("Java heap space");
        return Stream.of(
                new Case("PyTorch 2.5 on the CPU, allocation refused", new EngineException("[enforce fail at"
                        + " alloc_cpu.cpp:118] err == 0. DefaultCPUAllocator: can't allocate memory: you tried to allocate"
                        + " 205520896 bytes. Error code 12 (Cannot allocate memory)"), "the engine's native memory ran out"
                        + " (PyTorch: DefaultCPUAllocator: can't allocate memory: you tried to allocate 205520896 bytes. Error"
                        + " code 12 (Cannot allocate memory))"),
                new Case("PyTorch 2.5 on the CPU, allocation too large", new EngineException("[enforce fail at"
                        + " alloc_cpu.cpp:117] data. DefaultCPUAllocator: not enough memory: you tried to allocate 4294967296"
                        + " bytes."), "the engine's native memory ran out (PyTorch: DefaultCPUAllocator: not enough memory:"
                        + " you tried to allocate 4294967296 bytes.)"),
                new Case("CUDA, with PyTorch's C++ trace after the first line", new EngineException("CUDA out of memory."
                        + " Tried to allocate 2.00 GiB (GPU 0; 15.90 GiB total capacity; 13.20 GiB already allocated)\n"
                        + "Exception raised from malloc at ../c10/cuda/CUDACachingAllocator.cpp:913 (most recent call first):\n"
                        + "frame #0: c10::Error::Error(...)"), "GPU memory ran out (PyTorch: CUDA out of memory. Tried to"
                        + " allocate 2.00 GiB (GPU 0; 15.90 GiB total capacity; 13.20 GiB already allocated))"),
                new Case("Java's heap, in a loader thread", new IllegalStateException("preparing a batch failed: " + heap,
                        new ExecutionException(heap)), "the Java heap ran out (OutOfMemoryError: Java heap space)"),
                new Case("Java's direct buffers", new OutOfMemoryError("Direct buffer memory"),
                        "the JVM's memory ran out (OutOfMemoryError: Direct buffer memory)"),
                new Case("not memory: BatchNorm given one value per channel", new EngineException("Expected more than 1"
                        + " value per channel when training, got input size [1, 256, 1, 1]"), null),
                new Case("not memory: an I/O failure", new IllegalStateException("preparing a batch failed",
                        new java.io.IOException("Input/output error")), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void eachWayOfRunningOutIsToldApartAndSaidInOneLine(Case c) {
        Throwable found = OutOfMemory.find(c.thrown());
        if (c.described() == null) {
            assertNull(found, "not an out-of-memory failure");
            return;
        }
        assertEquals(c.described(), OutOfMemory.describe(found));
    }

    @Test
    void theMessageNamesTheMemberItsMicroBatchAndTheWaysOut() throws Exception {
        TinyPaddy.create(dir, 2, 4, 2);
        Path manifest = TinyPaddy.manifest(dir, TinyPaddy.minimalYaml("""
                defaults: {batch_size: 64, item: {resize: squish, size: 224}, input_size: 192}
                members:
                  - {name: big, arch: resnet50}
                  - {name: split, arch: resnet50, accum: 8}
                  - {name: one, arch: resnet50, accum: 64}
                """));
        List<MemberSpec> members = ManifestLoader.load(manifest).members();
        Throwable native_ = OutOfMemory.find(failures().skip(1).findFirst().orElseThrow().thrown());
        assertEquals("member 'big' ran out of memory while training, at a micro-batch of 64 images (batch_size 64 / accum"
                + " 1) of 192 px: the engine's native memory ran out (PyTorch: DefaultCPUAllocator: not enough memory: you"
                + " tried to allocate 4294967296 bytes.). " + ADVICE, MemberOutOfMemory.message(members.get(0), "training",
                native_, false));
        assertEquals("member 'split' ran out of memory while predicting the test set (TTA), at a micro-batch of 8 images"
                + " (batch_size 64 / accum 8) of 192 px: the Java heap ran out (OutOfMemoryError: Java heap space)."
                + " Make the micro-batch smaller: raise this member's 'accum:' (a divisor of batch_size 64: 16, 32, 64), or"
                + " set 'budget:' and 'accum: auto' and run 'mvn paddy:probe-memory', which measures the accumulation that"
                + " fits; for the Java heap, a larger -Xmx (MAVEN_OPTS or .mvn/jvm.config) helps too",
                MemberOutOfMemory.message(members.get(1), "predicting the test set (TTA)",
                        new OutOfMemoryError("Java heap space"), false));
        assertEquals("member 'one' ran out of memory while training, at a micro-batch of 1 image (batch_size 64 / accum"
                + " 64) of 192 px: the engine's native memory ran out (PyTorch: DefaultCPUAllocator: not enough memory:"
                + " you tried to allocate 4294967296 bytes.). The micro-batch is already 1 image: lower 'input_size' (or"
                + " 'item.size'), pick a smaller 'arch', or run on a machine with more memory. The epochs it finished are"
                + " kept: the next build resumes after the last one",
                MemberOutOfMemory.message(members.get(2), "training", native_, true));
    }

    static final String BIG = """
            defaults:
              epochs: 1
              batch_size: 64
              item: {resize: squish, size: 224}
              input_size: 224
              seed: 1
            members:
              - name: big
                arch: resnet18
                accum: 1
            """;

    /** The [ERROR] line a real build prints when member 'big' of {@link #BIG} runs out of {@code described}. */
    static String error(String described, boolean javaHeap) {
        return "[ERROR] member 'big' ran out of memory while training, at a micro-batch of 64 images (batch_size 64 /"
                + " accum 1) of 224 px: " + described + ". " + ADVICE
                + (javaHeap ? "; for the Java heap, a larger -Xmx (MAVEN_OPTS or .mvn/jvm.config) helps too" : "");
    }

    @ChildJvm
    @Test
    void aRealBuildOutOfJavaHeapSaysSoInOneLine() throws Exception {
        TinyPaddy.create(dir, 2, 40, 4);
        Path manifest = TinyPaddy.manifest(dir, TinyPaddy.minimalYaml(BIG));
        Path log = dir.resolve("build.log");
        // One micro-batch of 64 images of 3 x 224 x 224 floats is 38.5 MB: more than the whole heap.
        Process build = ChildBuild.start(List.of("-Xms32m", "-Xmx32m", "-XX:+AlwaysPreTouch"), log, "train",
                manifest.toString(), dir.resolve("out").toString());
        assertEquals(1, FaultProject.waitFor(build), Files.readString(log));
        assertOneLine(Files.readString(log), error("the Java heap ran out (OutOfMemoryError: Java heap space)", true));
    }

    @ChildJvm
    @Test
    void aRealBuildOutOfNativeMemorySaysSoInOneLine() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/prlimit")), "needs prlimit (util-linux)");
        TinyPaddy.create(dir, 2, 40, 4);
        Path manifest = TinyPaddy.manifest(dir, TinyPaddy.minimalYaml(BIG));
        Path log = dir.resolve("build.log");
        // An address-space limit makes PyTorch's allocations fail as on a machine without the memory,
        // without using it: the JVM and libtorch fit in 3 GiB, a ResNet18's activations for 64 images
        // at 224 px (2.8 GiB resident when it trains unlimited) do not.
        ProcessBuilder builder = new ProcessBuilder(Stream.concat(Stream.of("/usr/bin/prlimit", "--as=" + NATIVE_LIMIT, "--"),
                ChildBuild.command(List.of("-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch", "-XX:ReservedCodeCacheSize=64m",
                        "-XX:CompressedClassSpaceSize=64m"), "train", manifest.toString(), dir.resolve("out").toString())
                        .stream()).toList());
        builder.environment().put("MALLOC_ARENA_MAX", "2"); // glibc's per-thread arenas reserve address space
        Process build = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int exit = FaultProject.waitFor(build);
        String text = Files.readString(log);
        Assumptions.assumeTrue(text.contains("big: training resnet18"), "the JVM and libtorch need more than "
                + NATIVE_LIMIT + " bytes of address space on this machine; raise NATIVE_LIMIT:\n" + text);
        assertEquals(1, exit, text);
        assertOneLine(text, error("the engine's native memory ran out (PyTorch: DefaultCPUAllocator: can't allocate"
                + " memory: you tried to allocate " + allocation(text) + " bytes. Error code 12 (Cannot allocate memory))",
                false));
    }

    /** Bytes of the address space the native case's JVM may use. */
    static final long NATIVE_LIMIT = 3L << 30;

    private static String allocation(String log) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("you tried to allocate (\\d+) bytes").matcher(log);
        assertTrue(m.find(), log);
        return m.group(1);
    }

    /** The build's log holds the message as one [ERROR] line, and no stack trace or JVM dump. */
    private void assertOneLine(String log, String expected) throws Exception {
        assertTrue(log.lines().anyMatch(expected::equals), "expected the line\n" + expected + "\nin\n" + log);
        assertFalse(log.lines().anyMatch(l -> l.startsWith("\tat ") || l.startsWith("Exception in thread")), log);
        try (Stream<Path> files = Files.list(Path.of("."))) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().matches("java_pid\\d+\\.hprof|hs_err_pid\\d+\\.log")),
                    "no heap dump or crash log");
        }
    }
}
