package dev.paddy.experiment;

import java.util.ArrayList;
import java.util.List;

/** An experiment's log kept in memory, for the lines a test checks (warnings start with "WARN "). */
final class CollectedLog implements ExperimentLog {
    final List<String> lines = new ArrayList<>();

    @Override
    public void info(String message) {
        lines.add(message);
    }

    @Override
    public void warn(String message) {
        lines.add("WARN " + message);
    }

    boolean has(String fragment) {
        return lines.stream().anyMatch(l -> l.contains(fragment));
    }
}
