package dev.paddy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages form layers, and data flows one way: a package may use only packages of lower
 * layers. From the top: the Maven adapter, the experiment's facade and stages, the manifest, the
 * recipe's stages, then the libraries they share. Every reference counts, imports and fully
 * qualified names alike.
 */
class PackageLayersTest {
    /** Higher numbers sit higher; packages of one layer may not use each other. */
    static final Map<String, Integer> LAYERS = Map.ofEntries(
            Map.entry("maven", 8),
            Map.entry("experiment", 7),
            Map.entry("manifest", 6),
            Map.entry("memory", 5), Map.entry("predict", 5), Map.entry("export", 5), Map.entry("submit", 5), Map.entry("report", 5),
            Map.entry("train", 4), Map.entry("ensemble", 4),
            Map.entry("data", 3), Map.entry("model", 3),
            Map.entry("engine", 2),
            Map.entry("io", 1));

    private static final Path MAIN = Path.of("src/main/java/dev/paddy");
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.paddy\\.([a-z]+)\\.");

    @Test
    void everyPackageUsesOnlyLowerLayers() {
        Map<String, Set<String>> uses = references(MAIN);
        assertEquals(new TreeSet<>(LAYERS.keySet()), new TreeSet<>(uses.keySet()),
                "every package of the plugin has its layer here (and no layer names a package that is gone)");
        assertEquals(List.of(), violations(uses));
    }

    @Test
    void theCheckCatchesAnArrowUpwardsASiblingAndAnUnknownPackage() {
        Map<String, Set<String>> uses = new TreeMap<>(Map.of(
                "train", Set.of("data", "memory"),   // memory sits above train
                "memory", Set.of("predict"),          // a sibling in the same layer
                "data", Set.of("io", "util")));       // a package with no layer
        assertEquals(List.of("data -> util: 'util' has no layer in PackageLayersTest.LAYERS",
                "memory -> predict: layer 5 uses layer 5",
                "train -> memory: layer 4 uses layer 5"), violations(uses));
    }

    /** One line per reference that does not go strictly downwards. */
    static List<String> violations(Map<String, Set<String>> uses) {
        List<String> found = new ArrayList<>();
        uses.forEach((from, targets) -> {
            for (String to : new TreeSet<>(targets)) {
                Integer high = LAYERS.get(from);
                Integer low = LAYERS.get(to);
                if (low == null || high == null) {
                    found.add(from + " -> " + to + ": '" + (low == null ? to : from) + "' has no layer in PackageLayersTest.LAYERS");
                } else if (low >= high) {
                    found.add(from + " -> " + to + ": layer " + high + " uses layer " + low);
                }
            }
        });
        return found;
    }

    /** For each package under {@code root}, the other paddy packages its sources name. */
    static Map<String, Set<String>> references(Path root) {
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String pkg = root.relativize(file).getName(0).toString();
                Set<String> targets = uses.computeIfAbsent(pkg, p -> new TreeSet<>());
                Matcher matcher = REFERENCE.matcher(Files.readString(file).replaceFirst("package [^;]+;", ""));
                while (matcher.find()) {
                    if (!matcher.group(1).equals(pkg)) {
                        targets.add(matcher.group(1));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return uses;
    }
}
