package dev.paddy.experiment;

import dev.paddy.data.DataException;
import dev.paddy.engine.RunEnvironment;
import dev.paddy.io.Json;
import dev.paddy.io.MachineCache;
import dev.paddy.manifest.ManifestException;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A member's worker JVM ({@link WorkerProcesses}): opens the experiment from its request, as the
 * build did, does the one job in it with this JVM's numerics, and exits. Its log goes to the build
 * on standard output ({@link WorkerLog}); a failure the user is to read is said there too.
 *
 * <p>Usage: {@code java -cp <plugin class path> dev.paddy.experiment.MemberWorker request.json}.
 * Exit 0 when the work is done; 2 on a failure it said; 1 on an unexpected one (its stack trace
 * is in the output). It exits when its build does: its standard input closes.
 */
public final class MemberWorker {
    private MemberWorker() {}

    public static void main(String[] args) {
        WorkerLog log = new WorkerLog(new PrintStream(System.out, true, StandardCharsets.UTF_8));
        System.setOut(System.err); // whatever else prints stays out of the relayed lines
        watchBuild();
        double started = secondsSinceStart(); // the JVM's own start, to its main
        int exit;
        try {
            WorkerRequest request = Json.fromJson(Files.readString(Path.of(args[0]), StandardCharsets.UTF_8),
                    WorkerRequest.class);
            WorkerJob job = request.job();
            MachineCache cache = request.cacheRoot() == null ? MachineCache.OFF
                    : new MachineCache(Path.of(request.cacheRoot()), log::warn);
            log.mute(true); // the build has said what opening the experiment says
            Experiment experiment = Experiment.open(Path.of(request.manifest()), Path.of(request.outputDir()), log,
                    new Experiment.Options(request.probeJvmArgs(), SharedPredictions.NONE, cache));
            double opened = secondsSinceStart();
            String environment = RunEnvironment.current(experiment.numerics(job).inForceHere()).describe(); // loads the engine
            double ready = secondsSinceStart();
            log.mute(false);
            log.info(String.format(Locale.ROOT, "%s: worker %d ready for %s in %.1f s (JVM %.1f s, experiment %.1f s,"
                            + " engine %.1f s): %s", job.member(), ProcessHandle.current().pid(), job.task().doing(),
                    ready, started, opened - started, ready - opened, environment));
            experiment.runHere(job);
            exit = 0;
        } catch (ExperimentException | ManifestException | DataException e) {
            log.error(e.getMessage());
            exit = 2;
        } catch (IOException e) {
            log.error("I/O error: " + e.getMessage());
            exit = 2;
        } catch (RuntimeException | Error e) {
            e.printStackTrace();
            log.error("the worker failed unexpectedly: " + e);
            exit = 1;
        }
        System.err.flush();
        System.exit(exit);
    }

    /**
     * Seconds since this JVM started: the cost of a worker before its work (the process's own start
     * time, from the kernel's clock ticks, is off by most of a second).
     */
    private static double secondsSinceStart() {
        return ManagementFactory.getRuntimeMXBean().getUptime() / 1e3;
    }

    /** Ends this JVM when the build's ends: its end closes this one's standard input. */
    private static void watchBuild() {
        Thread watcher = new Thread(() -> {
            try {
                while (System.in.read() != -1) {
                    // the build writes nothing: only the end of the stream counts
                }
            } catch (IOException e) {
                // closed all the same
            }
            Runtime.getRuntime().halt(143);
        }, "paddy-worker-build-watch");
        watcher.setDaemon(true);
        watcher.start();
    }
}
