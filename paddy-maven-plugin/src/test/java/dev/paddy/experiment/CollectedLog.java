package dev.paddy.experiment;

import java.util.ArrayList;
import java.util.List;

/**
 * An experiment's log kept in memory: its lines (warnings start with "WARN "), for the few tests
 * of a message's wording, and the stages' events as values, for the rest.
 */
final class CollectedLog implements ExperimentLog {
    final List<String> lines = new ArrayList<>();
    final List<StageEvent> events = new ArrayList<>();

    @Override
    public void event(StageEvent event) {
        events.add(event);
        ExperimentLog.super.event(event);
    }

    /** The events of {@code stage} that ran a member, in order. */
    List<StageEvent.Runs> runs(StageId stage) {
        return events.stream().filter(e -> e instanceof StageEvent.Runs r && r.stage() == stage)
                .map(StageEvent.Runs.class::cast).toList();
    }

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
