package dev.paddy.experiment;

import java.util.List;
import java.util.Optional;

/**
 * What a stage did for each member, and why: the result mojos log and tests assert on. {@code why}
 * is the reason a member ran ({@link Reason.New}, {@link Reason.Changed} "config changed: lr 0.001 ->
 * 0.002"), or where a cached result came from ({@link Reason.Kept} "weights for key 3f2a...").
 */
public record StageReport(StageId stage, List<Entry> members) {

    public enum Outcome {
        /** The stage's result for the member's current configuration was already here. */
        CACHED,
        /** The result came from the team's shared predictions, nothing computed. */
        RESOLVED,
        /** The stage computed the member's result (trained, predicted, probed). */
        RAN
    }

    public record Entry(String member, Outcome outcome, Reason why) {}

    public StageReport {
        members = List.copyOf(members);
    }

    public Optional<Entry> of(String member) {
        return members.stream().filter(e -> e.member().equals(member)).findFirst();
    }

    /** The members the stage ran for. */
    public List<String> ran() {
        return members.stream().filter(e -> e.outcome() == Outcome.RAN).map(Entry::member).toList();
    }

    /** "2 member(s) trained, 1 cached": members resolved from the team count as cached. */
    public String summary(String verb) {
        int ran = ran().size();
        return ran + " member(s) " + verb + ", " + (members.size() - ran) + " cached";
    }
}
