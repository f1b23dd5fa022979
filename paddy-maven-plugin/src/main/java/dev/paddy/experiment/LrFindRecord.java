package dev.paddy.experiment;

import dev.paddy.io.Json;
import java.util.List;

/**
 * {@code lr-find/<member>.json}: the lr finder's curve for the key it ran for, how it ended,
 * and fastai's suggestions on it (each with the point fastai marks on its plot).
 */
record LrFindRecord(String key, String member, List<Double> lrs, List<Double> losses, String state,
                    List<Suggestion> suggestions, double seconds) implements Json.Checked {

    record Suggestion(String method, double lr, double pointLr, double pointLoss) {}

    /** The valley suggestion's lr, the one {@code lr: find} takes. */
    java.util.Optional<Double> valley() {
        return suggestions.stream().filter(s -> s.method().equals("valley")).map(Suggestion::lr).findFirst();
    }

    @Override
    public String problem() {
        return key == null || lrs == null || losses == null || suggestions == null ? "incomplete" : null;
    }
}
