package dev.paddy.experiment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A build in a JVM of its own, for tests that kill one or run two at once:
 * {@code run <manifest> <output>} runs every stage under the output folder's lock, as the
 * plugin's goals do ({@code train <manifest> <output>}: the training stage only), in a fresh JVM
 * with the fixed, pre-touched heap the README recommends for memory budgets; {@code hold <output> <millis>} holds the lock, says "locked", sleeps, exits.
 */
public final class ChildBuild {
    private ChildBuild() {}

    public static void main(String[] args) throws Exception {
        ExperimentLog log = ExperimentLog.console();
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
            if (args[0].equals("run")) {
                experiment.tta(Set.of());
                experiment.ensemble();
                experiment.submit();
            }
        }
        System.exit(0); // DJL's engine threads must not keep the JVM alive
    }

    /** Starts {@code args} in a child JVM on this test's class path, its output to {@code logFile}. */
    static Process start(Path logFile, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch", "-cp", System.getProperty("java.class.path"), ChildBuild.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
    }

}
