package dev.paddy.experiment;

import dev.paddy.io.DiskFullException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A build in a JVM of its own, for tests that kill one or run two at once:
 * {@code run <manifest> <output>} runs every stage under the output folder's lock, as the
 * plugin's goals do ({@code train <manifest> <output>}: the training stage only; {@code full}: every
 * stage and the report), in a fresh JVM with a 1 GiB heap unless its options set one
 * ({@link #MEASURED_HEAP}: the fixed, pre-touched heap the README recommends for memory budgets);
 * {@code hold <output> <millis>} holds the lock, says "locked", sleeps, exits.
 *
 * <p>As a goal does, a failure the user can fix (an {@link ExperimentException}, a full disk) is
 * printed as one {@code [ERROR]} message without a stack trace, exit status 1. With
 * {@code -Dpaddy.test.haltOnRun=<stage>:<member>} (e.g. {@code tta:res}) the JVM halts (status 137,
 * as after kill -9) when that stage starts running for that member ({@link StageEvent.Runs}): "kill
 * it while it does X" at a point the stage names.
 */
public final class ChildBuild {
    private ChildBuild() {}

    public static void main(String[] args) throws Exception {
        ExperimentLog log = haltingOn(System.getProperty("paddy.test.haltOnRun"), ExperimentLog.console());
        if (args[0].equals("hold")) {
            try (ExperimentLock lock = ExperimentLock.acquire(Path.of(args[1]), log)) {
                System.out.println("locked");
                System.out.flush();
                Thread.sleep(Long.parseLong(args[2]));
            }
            return;
        }
        Path manifest = Path.of(args[1]);
        Path out = Path.of(args[2]);
        try (ExperimentLock lock = ExperimentLock.acquire(out, log)) {
            Experiment experiment = Experiment.open(manifest, out, log);
            System.out.println("trained " + experiment.train(Set.of()).ran().size());
            if (!args[0].equals("train")) {
                experiment.tta(Set.of());
                experiment.ensemble();
                experiment.submit();
            }
            if (args[0].equals("full")) {
                experiment.report();
            }
        } catch (ExperimentException | DiskFullException e) {
            System.err.println("[ERROR] " + e.getMessage());
            System.err.flush();
            System.exit(1);
        }
        System.exit(0); // DJL's engine threads must not keep the JVM alive
    }

    /** {@code log}, halting the JVM when the stage and member {@code stageAndMember} names start to run. */
    private static ExperimentLog haltingOn(String stageAndMember, ExperimentLog log) {
        if (stageAndMember == null) {
            return log;
        }
        return new ExperimentLog() {
            @Override
            public void info(String message) {
                log.info(message);
            }

            @Override
            public void warn(String message) {
                log.warn(message);
            }

            @Override
            public void event(StageEvent event) {
                ExperimentLog.super.event(event);
                if (event instanceof StageEvent.Runs runs
                        && stageAndMember.equals(runs.stage().id() + ":" + runs.member())) {
                    System.err.println("[paddy] test: halting after the log line above");
                    System.err.flush();
                    Runtime.getRuntime().halt(137);
                }
            }
        };
    }

    /** Starts {@code args} in a child JVM on this test's class path, its output to {@code logFile}. */
    static Process start(Path logFile, String... args) throws IOException {
        return start(List.of(), logFile, args);
    }

    /** As above, with {@code jvmOptions} (system properties, heap) after the defaults. */
    static Process start(List<String> jvmOptions, Path logFile, String... args) throws IOException {
        return new ProcessBuilder(command(jvmOptions, args)).redirectErrorStream(true).redirectOutput(logFile.toFile())
                .start();
    }

    /**
     * The options of a child whose peak memory a test compares with a probe's: a fixed heap,
     * touched at start, as failsafe gives the test JVM (so a probe made there holds for the child:
     * its key includes these options). Pre-touching 1 GiB costs about 1.4 s of CPU per JVM, so
     * only those pay it.
     */
    static final List<String> MEASURED_HEAP = List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch");

    /** The command line of a child build. */
    static List<String> command(List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (jvmOptions.stream().noneMatch(o -> o.startsWith("-Xmx"))) {
            command.add("-Xmx1g");
        }
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ChildBuild.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

}
