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
    /** The stages in recipe order. */
    static final List<String> ORDER = List.of("probe-memory", "train", "tta", "ensemble", "submit");

    record StageRun(String stage, double seconds, String finished, List<StageReport.Entry> members)
            implements Json.Checked {
        @Override
        public String problem() {
            return stage == null || members == null ? "incomplete" : null;
        }
    }

    private final OutputLayout layout;

    StageRuns(OutputLayout layout) {
        this.layout = layout;
    }

    /** Records {@code report}, which took from {@code startNanos} until now; returns it. */
    StageReport record(StageReport report, long startNanos) throws IOException {
        Json.write(layout.stageRun(report.stage()), new StageRun(report.stage(), (System.nanoTime() - startNanos) / 1e9,
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), report.members()));
        return report;
    }

    /** The last run of each stage that has run, in recipe order. */
    List<StageRun> read() {
        List<StageRun> runs = new ArrayList<>();
        for (String stage : ORDER) {
            Json.read(layout.stageRun(stage), StageRun.class, why -> { }).ifPresent(runs::add);
        }
        return runs;
    }
}
