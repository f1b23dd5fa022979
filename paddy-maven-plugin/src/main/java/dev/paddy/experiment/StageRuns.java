package dev.paddy.experiment;

import dev.paddy.io.Json;
import dev.paddy.io.OutputLayout;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * What the last run of each stage did and how long it took ({@code stages/<stage>.json}), for the
 * report: each goal is its own Maven execution, so the report reads what they left behind.
 */
final class StageRuns {
    record StageRun(String stage, double seconds, String finished, List<Row> members) implements Json.Checked {
        @Override
        public String problem() {
            return stage == null || members == null ? "incomplete" : null;
        }
    }

    /** A member's entry as the report shows it: its outcome and the reason's words. */
    record Row(String member, StageReport.Outcome outcome, String why) {}

    private final OutputLayout layout;

    StageRuns(OutputLayout layout) {
        this.layout = layout;
    }

    /** Records {@code report}, which took from {@code startNanos} until now; returns it. */
    StageReport record(StageReport report, long startNanos) throws IOException {
        Json.write(layout.stageRun(report.stage().id()), new StageRun(report.stage().id(), (System.nanoTime() - startNanos) / 1e9,
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), report.members().stream()
                .map(e -> new Row(e.member(), e.outcome(), e.why().text())).toList()));
        return report;
    }

    /** The last run of each stage that has run, in recipe order ({@link StageId}). */
    List<StageRun> read() {
        List<StageRun> runs = new ArrayList<>();
        for (StageId stage : StageId.values()) {
            Json.read(layout.stageRun(stage.id()), StageRun.class, why -> { }).ifPresent(runs::add);
        }
        return runs;
    }
}
