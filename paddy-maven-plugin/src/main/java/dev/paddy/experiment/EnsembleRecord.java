package dev.paddy.experiment;

import dev.paddy.io.Json;
import java.util.List;

/** {@code ensemble.json}: the leaderboard the ensemble stage printed, for the report. */
record EnsembleRecord(List<Row> members, Double accuracy) implements Json.Checked {

    /** A member's weight, valid error (null when its record is not at hand) and test accuracy (null without labels). */
    record Row(String member, String arch, double weight, Double validError, Double testAccuracy) {}

    @Override
    public String problem() {
        return members == null ? "no members" : null;
    }
}
