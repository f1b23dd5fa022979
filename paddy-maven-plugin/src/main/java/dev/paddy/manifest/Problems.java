package dev.paddy.manifest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.Node;

/** Collects manifest problems, each prefixed with the manifest's file:line:col. */
final class Problems {
    private final Path file;
    private final List<String> list = new ArrayList<>();

    Problems(Path file) {
        this.file = file;
    }

    void at(Node node, String message) {
        at(node == null ? null : node.getStartMark(), message);
    }

    void at(Mark mark, String message) {
        String where = mark == null
                ? file.toString()
                : file + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
        list.add(where + ": " + message);
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    List<String> list() {
        return list;
    }

    /**
     * A suggestion for an unknown key: the same key in another section (a key written in the wrong
     * place), else the closest key of this section, else the closest key of another section (a
     * nested key mistyped at the wrong level: {@code epochz} at the top suggests {@code defaults.epochs}).
     *
     * @param sections every section's keys by its path, "members[]" for a member's; this section's
     *                 own set ({@code allowed}, the same object) is skipped
     */
    static String didYouMeanKey(String given, Set<String> allowed, Map<String, Set<String>> sections) {
        for (Map.Entry<String, Set<String>> section : sections.entrySet()) {
            if (section.getValue() != allowed) {
                for (String key : section.getValue()) {
                    if (key.equalsIgnoreCase(given)) {
                        return " (did you mean '" + qualified(section.getKey(), key) + "'?)";
                    }
                }
            }
        }
        String here = didYouMean(given, allowed);
        if (!here.isEmpty() || given.length() < 3) {
            return here;
        }
        String best = null;
        int bestDistance = Math.max(1, given.length() / 3) + 1;
        for (Map.Entry<String, Set<String>> section : sections.entrySet()) {
            if (section.getValue() != allowed) {
                for (String key : section.getValue()) {
                    int d = distance(given.toLowerCase(Locale.ROOT), key.toLowerCase(Locale.ROOT));
                    if (d < bestDistance) {
                        bestDistance = d;
                        best = qualified(section.getKey(), key);
                    }
                }
            }
        }
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    private static String qualified(String section, String key) {
        return section.isEmpty() ? key : section + "." + key;
    }

    /** The closest candidate within a small edit distance, as " (did you mean 'x'?)", or "". */
    static String didYouMean(String given, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(given.toLowerCase(), candidate.toLowerCase());
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        int allowed = Math.max(2, given.length() / 3);
        return best != null && bestDistance <= allowed ? " (did you mean '" + best + "'?)" : "";
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
