package dev.paddy.manifest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * One YAML mapping of the manifest, read key by key. Each getter records a problem (with the
 * node's line and column) instead of throwing, so that all problems are reported at once; a
 * getter whose value is wrong returns the fallback so that reading can go on.
 */
final class Section {
    private final String path;
    private final Node node;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
    private final Problems problems;

    Section(String path, Node node, Problems problems) {
        this.path = path;
        this.node = node;
        this.problems = problems;
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode key) {
                    NodeTuple first = entries.putIfAbsent(key.getValue(), tuple);
                    if (first != null) {
                        problems.at(key, name(key.getValue()) + ": duplicate key, also set at line "
                                + (first.getKeyNode().getStartMark().getLine() + 1) + "; YAML keeps only one"
                                + " value per key: remove one of them");
                    }
                } else {
                    problems.at(tuple.getKeyNode(), where() + ": keys must be plain words");
                }
            }
        } else if (node != null) {
            problems.at(node, where() + ": expected a mapping of keys to values, got " + describe(node));
        }
    }

    Node node() {
        return node;
    }

    /** This section as messages name it. */
    String where() {
        return path.isEmpty() ? "the manifest" : path;
    }

    String name(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean has(String key) {
        return entries.containsKey(key);
    }

    Node valueNode(String key) {
        NodeTuple tuple = entries.get(key);
        return tuple == null ? null : tuple.getValueNode();
    }

    /** Reports every key not in {@code allowed}, with a suggestion for near misses. */
    void rejectUnknownKeys(Set<String> allowed) {
        for (Map.Entry<String, NodeTuple> entry : entries.entrySet()) {
            if (!allowed.contains(entry.getKey())) {
                problems.at(entry.getValue().getKeyNode(),
                        "unknown key '" + entry.getKey() + "' in " + (path.isEmpty() ? "the manifest" : path)
                                + Problems.didYouMeanKey(entry.getKey(), allowed, ManifestLoader.SECTIONS)
                                + "; allowed: " + String.join(", ", allowed));
            }
        }
    }

    void require(String key) {
        if (!has(key)) {
            problems.at(node, (path.isEmpty() ? "the manifest" : path) + ": missing required key '" + key + "'");
        }
    }

    Section section(String key) {
        Node value = valueNode(key);
        return new Section(name(key), value, problems);
    }

    List<Section> sections(String key) {
        Node value = valueNode(key);
        List<Section> result = new ArrayList<>();
        if (value == null) {
            return result;
        }
        if (!(value instanceof SequenceNode sequence)) {
            problems.at(value, name(key) + ": expected a list");
            return result;
        }
        int i = 0;
        for (Node item : sequence.getValue()) {
            result.add(new Section(name(key) + "[" + i++ + "]", item, problems));
        }
        return result;
    }

    List<String> strings(String key) {
        Node value = valueNode(key);
        List<String> result = new ArrayList<>();
        if (value == null) {
            return result;
        }
        if (!(value instanceof SequenceNode sequence)) {
            problems.at(value, name(key) + ": expected a list of names");
            return result;
        }
        for (Node item : sequence.getValue()) {
            if (item instanceof ScalarNode scalar) {
                result.add(scalar.getValue());
            } else {
                problems.at(item, name(key) + ": expected a name");
            }
        }
        return result;
    }

    /** A list of exactly {@code count} numbers from {@code min} to {@code max}, or {@code fallback} with a problem. */
    List<Double> reals(String key, int count, double min, double max, List<Double> fallback) {
        Node value = valueNode(key);
        if (value == null) {
            return fallback;
        }
        List<Double> result = new ArrayList<>();
        if (value instanceof SequenceNode sequence) {
            for (Node item : sequence.getValue()) {
                try {
                    double parsed = Double.parseDouble(String.valueOf(scalarText(item)));
                    if (parsed >= min && parsed <= max) {
                        result.add(parsed);
                    }
                } catch (NumberFormatException e) {
                    // reported below with the whole list
                }
            }
        }
        if (result.size() != count || !(value instanceof SequenceNode all) || all.getValue().size() != count) {
            problems.at(value, name(key) + ": expected a list of " + count + " numbers from " + min + " to " + max
                    + " (one per channel: red, green, blue), got " + describe(value));
            return fallback;
        }
        return result;
    }

    String string(String key, String fallback) {
        Node value = valueNode(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof ScalarNode scalar && !scalar.getValue().isBlank()) {
            return scalar.getValue();
        }
        problems.at(value, name(key) + ": expected a non-empty text value");
        return fallback;
    }

    int integer(String key, int fallback, int min, int max) {
        Node value = valueNode(key);
        if (value == null) {
            return fallback;
        }
        String text = scalarText(value);
        try {
            int parsed = Integer.parseInt(text == null ? "" : text.replace("_", ""));
            if (parsed < min || parsed > max) {
                problems.at(value, name(key) + ": " + parsed + " is out of range; allowed: " + min + " to " + max);
                return fallback;
            }
            return parsed;
        } catch (NumberFormatException e) {
            problems.at(value, name(key) + ": expected a whole number from " + min + " to " + max
                    + ", got " + describe(value));
            return fallback;
        }
    }

    double real(String key, double fallback, double min, double max, boolean minExclusive) {
        Node value = valueNode(key);
        if (value == null) {
            return fallback;
        }
        String text = scalarText(value);
        String range = (minExclusive ? "greater than " + min : "from " + min) + " to " + max;
        try {
            double parsed = Double.parseDouble(text == null ? "" : text);
            if (Double.isNaN(parsed) || parsed > max || parsed < min || (minExclusive && parsed == min)) {
                problems.at(value, name(key) + ": " + text + " is out of range; allowed: " + range);
                return fallback;
            }
            return parsed;
        } catch (NumberFormatException e) {
            problems.at(value, name(key) + ": expected a number " + range + ", got " + describe(value));
            return fallback;
        }
    }

    <E extends Enum<E>> E choice(String key, Class<E> type, E fallback) {
        Node value = valueNode(key);
        if (value == null) {
            return fallback;
        }
        List<String> allowed = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            allowed.add(constant.name().toLowerCase(Locale.ROOT));
        }
        String text = scalarText(value);
        if (text != null && allowed.contains(text)) {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        }
        problems.at(value, name(key) + ": unknown value " + describe(value)
                + (text == null ? "" : Problems.didYouMean(text, allowed)) + "; allowed: " + String.join(", ", allowed));
        return fallback;
    }

    void problem(String key, String message) {
        Node value = valueNode(key);
        problems.at(value == null ? node : value, name(key) + ": " + message);
    }

    static String scalarText(Node node) {
        return node instanceof ScalarNode scalar ? scalar.getValue() : null;
    }

    static String describe(Node node) {
        if (node instanceof ScalarNode scalar) {
            return "'" + scalar.getValue() + "'";
        }
        return node instanceof SequenceNode ? "a list" : "a mapping";
    }
}
