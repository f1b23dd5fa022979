package dev.paddy.experiment;

import dev.paddy.engine.ChildJvm;
import dev.paddy.engine.DaemonThreads;
import dev.paddy.engine.Engines;
import dev.paddy.engine.Numerics;
import dev.paddy.io.Json;
import dev.paddy.io.OutputLayout;
import dev.paddy.memory.MemoryBudget;
import dev.paddy.train.Checkpoints;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs each member's work in a JVM of its own, as surefire forks its tests: the plugin's class
 * path, this JVM's heap, and an environment paddy controls (the member's {@link Numerics}, its
 * share of the cores or its GPU). A worker relays its log ({@link WorkerLog}); everything else it
 * prints goes to {@code workers/<member>.<task>.log}. A worker that crashes (a signal in native
 * code, the kernel's out-of-memory killer) fails its member in one line, naming its crash log and
 * the checkpoint it leaves; the other members go on, and the build JVM is not touched. Up to the
 * manifest's {@code parallel:} workers run at once.
 */
final class WorkerProcesses implements MemberRunner {
    /** The signal line of a JVM crash log: {@code #  SIGSEGV (0xb) at pc=...}. */
    private static final Pattern CRASH_SIGNAL = Pattern.compile("^#\\s+(SIG[A-Z]+) \\(0x");

    /** Workers alive, destroyed if the build's JVM exits first (Ctrl-C): none outlives the build. */
    private static final Set<Process> ALIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ALIVE.forEach(Process::destroy), "paddy-worker-reaper"));
    }

    private final StageContext context;
    private final List<String> probeJvmArgs;
    private final Experiment.Workers workers;
    private final int parallel;
    private int gpus = -1;

    /** What one worker came to: empty when it did its work, else the member's failure, in a line. */
    private record Outcome(WorkerJob job, Optional<String> failure) {}

    /**
     * @param workers the workers' extra JVM options (an -Xmx replaces this JVM's heap size) and environment
     */
    WorkerProcesses(StageContext context, List<String> probeJvmArgs, Experiment.Workers workers) {
        this.context = context;
        this.probeJvmArgs = List.copyOf(probeJvmArgs);
        this.workers = workers;
        this.parallel = context.manifest().parallel();
    }

    @Override
    public void run(List<Job> jobs) throws ExperimentException, IOException {
        if (jobs.isEmpty()) {
            return;
        }
        List<Outcome> outcomes = new ArrayList<>();
        int slots = Math.min(parallel, jobs.size());
        if (slots > 1 && gpus < 0) {
            gpus = Engines.gpuCount(); // with several workers at once, each GPU gets one
            warnIfBudgetsExceedMemory(slots);
        }
        BlockingQueue<Integer> free = new ArrayBlockingQueue<>(slots);
        for (int slot = 0; slot < slots; slot++) {
            free.add(slot);
        }
        // One thread per slot: each takes a slot (its GPU, under parallel:) for one job at a time.
        ExecutorService pool = Executors.newFixedThreadPool(slots, DaemonThreads.named("paddy-worker"));
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (Job job : jobs) {
                futures.add(pool.submit(() -> {
                    int slot = free.take();
                    try {
                        return launch(job, slot, slots);
                    } finally {
                        free.add(slot);
                    }
                }));
            }
            for (Future<Outcome> future : futures) {
                outcomes.add(future.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the members' workers ran", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        fail(outcomes);
    }

    /** On a CPU, each of {@code slots} workers at once may take the whole memory budget: say so when their sum does not fit. */
    private void warnIfBudgetsExceedMemory(int slots) {
        if (gpus > 0 || context.manifest().budget().isEmpty()) {
            return;
        }
        long budget = context.manifest().budget().get().bytes();
        long physical = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        if (slots * budget > physical) {
            context.log().warn(String.format(Locale.ROOT, "parallel: %d workers at once may each take the budget of %s,"
                            + " %s in all, and this machine has %s of memory: lower 'parallel:' or 'budget:'", slots,
                    MemoryBudget.format(budget), MemoryBudget.format(slots * budget), MemoryBudget.format(physical)));
        }
    }

    /** Throws, when a member failed, every failure in a line and the members whose work is done. */
    private static void fail(List<Outcome> outcomes) throws ExperimentException {
        List<String> failures = outcomes.stream().flatMap(o -> o.failure().stream()).toList();
        if (failures.isEmpty()) {
            return;
        }
        List<String> done = outcomes.stream().filter(o -> o.failure().isEmpty()).map(o -> o.job().member()).toList();
        String message = failures.size() == 1 ? failures.get(0) : failures.size() + " members failed:\n  "
                + String.join("\n  ", failures);
        throw new ExperimentException(message + (done.isEmpty() ? "" : (failures.size() > 1 ? "\n"
                : message.endsWith(".") ? " " : ". ") + "Done: " + String.join(", ", done) + "."));
    }

    /** Starts the job's worker in slot {@code slot} of {@code slots}, relays its log, and says how it ended. */
    private Outcome launch(Job job, int slot, int slots) throws IOException, InterruptedException {
        WorkerJob work = job.work();
        OutputLayout layout = context.layout();
        Files.createDirectories(layout.workers());
        Path request = layout.workers().resolve(work.fileStem() + ".json");
        Path output = layout.workers().resolve(work.fileStem() + ".log");
        String crashLog = work.fileStem() + ".hs_err_pid%p.log";
        deleteCrashLogs(work);
        Json.write(request, new WorkerRequest(context.manifest().file().toString(), layout.root().toString(),
                context.cache().root().map(Path::toString).orElse(null), probeJvmArgs, work));
        // On a CPU shared by several workers, each computes with its share of the cores (pinned numerics: one).
        int threads = slots > 1 && gpus <= 0 ? Math.max(1, Runtime.getRuntime().availableProcessors() / slots) : 0;
        List<String> options = new ArrayList<>(workers.jvmArgs());
        options.addAll(job.numerics().jvmOptions(threads)); // after the user's: the last -D of a name wins
        options.add("-XX:ErrorFile=" + layout.workers().resolve(crashLog));
        ProcessBuilder builder = new ProcessBuilder(ChildJvm.command(options, MemberWorker.class,
                List.of(request.toString()))).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.putAll(workers.environment());
        environment.putAll(job.numerics().environment(threads));
        if (slots > 1 && gpus > 0) { // each worker on its own GPU
            environment.put("CUDA_VISIBLE_DEVICES", Integer.toString(slot % gpus));
        }
        Process process = builder.start();
        ALIVE.add(process);
        String error = null;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             Writer transcript = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                transcript.write(line);
                transcript.write('\n');
                transcript.flush();
                Optional<WorkerLog.Line> message = WorkerLog.parse(line);
                if (message.isPresent()) {
                    switch (message.get().level()) {
                        case "warn" -> context.log().warn(message.get().text());
                        case "error" -> error = message.get().text();
                        default -> context.log().info(message.get().text());
                    }
                }
            }
            int exit = process.waitFor();
            if (exit == 0) {
                return new Outcome(work, Optional.empty());
            }
            if (error != null) { // the worker said why, as this JVM would have
                return new Outcome(work, Optional.of(exit == 1 ? error + " (worker output: " + output + ")" : error));
            }
            return new Outcome(work, Optional.of(died(work, exit, output)));
        } finally {
            process.destroyForcibly();
            ALIVE.remove(process);
        }
    }

    /**
     * "member 'x': its worker crashed while training: SIGSEGV in ...; crash log ...; worker output
     * .... Its checkpoint after epoch 2 is kept: the next build resumes from it." In one line.
     */
    private String died(WorkerJob work, int exit, Path output) throws IOException {
        Optional<Path> crashLog = crashLogs(work).stream().findFirst();
        String crash = crashLog.isPresent() ? crashSummary(crashLog.get()) : "";
        StringBuilder line = new StringBuilder("member '" + work.member() + "': its worker ")
                .append(crash.isEmpty() ? "died while " + work.task().doing() + ": " + ChildJvm.describeExit(exit)
                        : "crashed while " + work.task().doing() + ": " + crash + " (exit " + exit + ")");
        crashLog.ifPresent(log -> line.append("; crash log ").append(log));
        line.append("; worker output ").append(output).append('.');
        if (work.task() == WorkerJob.Task.TRAIN) {
            Optional<Checkpoints.Saved> saved = new Checkpoints(context.layout().checkpointDir(work.member()), work.key())
                    .latest(why -> { });
            line.append(saved.map(s -> " Its checkpoint after epoch " + s.epochsDone() + " is kept: the next build"
                    + " resumes from it.").orElse(" It had finished no epoch: the next build trains it from the start."));
        }
        return line.toString();
    }

    /**
     * "SIGSEGV in C  [libtorch_cpu.so+0x1b2c3d]": the signal and the frame a JVM crash log names
     * first, or "" when it names no signal.
     */
    static String crashSummary(Path crashLog) throws IOException {
        List<String> lines;
        try (var all = Files.lines(crashLog, StandardCharsets.ISO_8859_1)) {
            lines = all.limit(40).toList();
        }
        String signal = null;
        String frame = null;
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = CRASH_SIGNAL.matcher(lines.get(i));
            if (signal == null && m.find()) {
                signal = m.group(1);
            }
            if (lines.get(i).startsWith("# Problematic frame:") && i + 1 < lines.size()) {
                frame = lines.get(i + 1).replaceFirst("^#\\s*", "").trim();
            }
        }
        return signal == null ? "" : signal + (frame == null ? "" : " in " + frame);
    }

    private List<Path> crashLogs(WorkerJob work) throws IOException {
        List<Path> logs = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(context.layout().workers(),
                work.fileStem() + ".hs_err_pid*.log")) {
            files.forEach(logs::add);
        }
        return logs;
    }

    /** A crash log of an earlier run of the job: it would be taken for this one's. */
    private void deleteCrashLogs(WorkerJob work) throws IOException {
        for (Path log : crashLogs(work)) {
            Files.deleteIfExists(log);
        }
    }
}
