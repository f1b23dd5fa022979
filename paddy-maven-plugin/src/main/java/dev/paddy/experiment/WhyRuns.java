package dev.paddy.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Says why a cached result cannot be used, from the inputs it was computed from and the inputs
 * of now: new ({@link Reason.New}), or what changed ({@link Reason.Changed}): "config changed: lr 0.01 -> 0.02", "data changed", "paddy or engine changed:
 * ...". The inputs are the same maps the cache keys are hashed from, so the reason is exactly
 * the difference that changed the key.
 */
final class WhyRuns {
    /** Inputs whose change is not the user's configuration. */
    private static final Set<String> TOOLING = Set.of("stage", "plugin", "engine", "decoder");

    private WhyRuns() {}

    /** @param before the inputs of the cached result, or null when there is none */
    static Reason diff(Map<String, String> before, Map<String, String> now) {
        if (before == null) {
            return new Reason.New();
        }
        List<String> config = new ArrayList<>();
        List<String> tooling = new ArrayList<>();
        List<String> other = new ArrayList<>();
        for (Map.Entry<String, String> entry : now.entrySet()) {
            String key = entry.getKey();
            String was = before.get(key);
            if (entry.getValue().equals(was)) {
                continue;
            }
            switch (key) {
                case "data" -> other.add("data changed");
                case "labels" -> other.add("labels CSV changed");
                case "test" -> other.add("test images changed");
                case "training" -> other.add("weights retrained");
                case "weights" -> other.add("initial weights changed");
                default -> (TOOLING.contains(key) ? tooling : config).add(key + " " + (was == null ? "(unset)" : was)
                        + " -> " + entry.getValue());
            }
        }
        List<String> parts = new ArrayList<>();
        if (!config.isEmpty()) {
            parts.add("config changed: " + String.join(", ", config));
        }
        parts.addAll(other);
        if (!tooling.isEmpty()) {
            parts.add("paddy or engine changed: " + String.join(", ", tooling));
        }
        return new Reason.Changed(parts.isEmpty() ? "cached result incomplete" : String.join("; ", parts));
    }
}
