package dev.paddy.memory;

import dev.paddy.engine.ChildJvm;
import dev.paddy.io.AtomicFiles;
import dev.paddy.io.Hashing;
import dev.paddy.io.Json;
import dev.paddy.io.OutputLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs each probe in a child JVM started from the plugin's own class path, so that running out
 * of memory (an OutOfMemoryError, a CUDA OOM, or the kernel killing the process) is a measured
 * "does not fit" instead of a broken build, and no memory from one probe leaks into the next.
 */
public final class ProbeRunner {
    private final Path workDir;
    private final List<String> jvmArgs;
    private final long timeoutSeconds;

    /**
     * @param jvmArgs extra child JVM options; without an -Xmx the child gets this JVM's maximum
     *     heap, so that its heap grows the way the training JVM's does
     */
    public ProbeRunner(Path workDir, List<String> jvmArgs, long timeoutSeconds) {
        this.workDir = workDir;
        this.jvmArgs = List.copyOf(jvmArgs);
        this.timeoutSeconds = timeoutSeconds;
    }

    /**
     * The result this folder holds of a probe of exactly {@code request}, made by a child JVM
     * started as this runner would start it now (options, class path, Java, thread and device
     * environment): the measurement does not depend on the budget, so a changed budget or margin
     * is planned again from it without probing.
     */
    public Optional<ProbeResult> measured(String name, ProbeRequest request) {
        Path keyFile = OutputLayout.probeFile(workDir, name, request.accum(), "key");
        try {
            if (!Files.isRegularFile(keyFile) || !Files.readString(keyFile, StandardCharsets.UTF_8).equals(trialKey(request))) {
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Json.read(OutputLayout.probeFile(workDir, name, request.accum(), "result.json"), ProbeResult.class, why -> { })
                .filter(result -> result.accum() == request.accum());
    }

    public ProbeResult probe(String name, ProbeRequest request) throws IOException {
        Files.createDirectories(workDir);
        Path requestFile = OutputLayout.probeFile(workDir, name, request.accum(), "request.json");
        Path resultFile = OutputLayout.probeFile(workDir, name, request.accum(), "result.json");
        Path keyFile = OutputLayout.probeFile(workDir, name, request.accum(), "key");
        Path logFile = OutputLayout.probeFile(workDir, name, request.accum(), "log");
        Files.deleteIfExists(keyFile);
        Json.write(requestFile, request);
        Files.deleteIfExists(resultFile);

        List<String> command = ChildJvm.command(jvmArgs, MemoryProbe.class,
                List.of(requestFile.toString(), resultFile.toString()));

        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                return ProbeResult.failed(request.accum(), "timed out after " + timeoutSeconds + " s", seconds(start));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while probing " + name, e);
        }
        int exit = process.exitValue();
        Optional<ProbeResult> result = Json.read(resultFile, ProbeResult.class, why -> { });
        if (result.isPresent()) {
            AtomicFiles.writeString(keyFile, trialKey(request)); // what measured it, for measured()
            return result.get(); // finished, or ran out of memory and said so
        }
        String log = Files.isRegularFile(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
        if (exit > 128 || log.contains("OutOfMemoryError")) {
            // Killed (by the kernel's OOM killer, say) or out of heap before it could report: does not fit.
            String why = log.lines().filter(l -> l.contains("OutOfMemoryError")).findFirst()
                    .map(l -> ": " + l.trim()).orElse(lastLine(logFile));
            return ProbeResult.failed(request.accum(), ChildJvm.describeExit(exit) + why + " (log: " + logFile + ")", seconds(start));
        }
        throw new IOException("the memory probe of " + name + " at accum " + request.accum() + " failed for a reason"
                + " other than memory (" + ChildJvm.describeExit(exit) + "): " + firstError(log) + "; see " + logFile);
    }

    /** What a probe's peak depends on besides its request: how its JVM and engine are started. */
    private String trialKey(ProbeRequest request) {
        Map<String, String> inputs = new LinkedHashMap<>();
        inputs.put("request", Json.toJson(request));
        inputs.put("jvm", String.join(" ", ChildJvm.options(jvmArgs)));
        inputs.put("class_path", ChildJvm.classPath());
        inputs.put("java", System.getProperty("java.version"));
        for (String variable : new String[] {"OMP_NUM_THREADS", "MKL_NUM_THREADS", "CUDA_VISIBLE_DEVICES"}) {
            inputs.put(variable, String.valueOf(System.getenv(variable)));
        }
        return Hashing.sha256(inputs);
    }

    private static String firstError(String log) {
        for (String line : log.split("\\R")) {
            if (line.contains("Exception") || line.contains("Error")) {
                return line.trim();
            }
        }
        return log.isBlank() ? "no output" : log.lines().reduce((a, b) -> b).orElse("").trim();
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                String line = lines.get(i).trim();
                if (!line.isEmpty() && !line.startsWith("at ")) {
                    return ": " + line;
                }
            }
        } catch (IOException e) {
            // no log
        }
        return "";
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

}
