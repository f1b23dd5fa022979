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
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The test tiers hold together: {@code mvn test} (surefire) leaves out exactly the tags that
 * {@code mvn verify} runs with failsafe, so every test runs in one of them; and a test class that
 * starts a process, builds a model or drives the browser carries its tier's tag (on the class or
 * on the methods that do), so it cannot slip into the fast tier unnoticed.
 */
class TiersTest {
    static final Set<String> SLOW = Set.of(Training.TAG, ChildJvm.TAG, Browser.TAG);

    private static final Path TESTS = Path.of("src/test/java");

    /** What in a test's source says it belongs to a tier, by the annotation it needs. */
    static final Map<String, Pattern> MARKERS = Map.of(
            "ChildJvm", Pattern.compile("new ProcessBuilder\\(|ChildBuild\\.(start|command)\\(|Unprivileged\\.run\\("
                    + "|new ProbeRunner\\("),
            "Training", Pattern.compile("Learner\\.of\\(|FaultProject\\.build(WithFault)?\\("),
            "Browser", Pattern.compile("chromium\\("));

    /** The annotations that meet each need: a browser is a process too. */
    static final Map<String, Set<String>> MET_BY = Map.of(
            "ChildJvm", Set.of("ChildJvm", "Browser"),
            "Training", Set.of("Training"),
            "Browser", Set.of("Browser"));

    @Test
    void surefireLeavesOutExactlyTheTagsThatFailsafeRuns() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        assertEquals(SLOW, tags(pom, "excludedGroups"), "surefire's excludedGroups");
        assertEquals(SLOW, tags(pom, "groups"), "failsafe's groups");
    }

    @Test
    void everyTestClassThatStartsAProcessTrainsOrDrivesTheBrowserIsTagged() {
        List<String> untagged = new ArrayList<>();
        try (Stream<Path> files = Files.walk(TESTS)) {
            files.filter(f -> f.getFileName().toString().endsWith("Test.java"))
                    .filter(f -> !f.getFileName().toString().equals("TiersTest.java")).sorted()
                    .forEach(f -> untagged.addAll(untagged(TESTS.relativize(f).toString(), read(f))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertEquals(List.of(), untagged);
    }

    @Test
    void theCheckCatchesAnUntaggedClassAndAcceptsATaggedMethod() {
        String untagged = """
                class SomeTest {
                    @Test
                    void builds() throws Exception {
                        Process p = ChildBuild.start(log, "run", manifest, out);
                        try (Learner learner = Learner.of(source).classes(3).inputSize(32).device(cpu).build()) { }
                    }
                }
                """;
        assertEquals(List.of("SomeTest.java: needs @ChildJvm", "SomeTest.java: needs @Training"),
                untagged("SomeTest.java", untagged));
        assertEquals(List.of(), untagged("SomeTest.java", untagged.replace("    @Test", "    @ChildJvm\n    @Training\n    @Test")));
        assertEquals(List.of("SomeTest.java: needs @Training"),
                untagged("SomeTest.java", untagged.replace("class SomeTest", "@Browser\nclass SomeTest")));
    }

    /** The annotations {@code source} lacks for what it does. */
    static List<String> untagged(String name, String source) {
        List<String> missing = new ArrayList<>();
        for (String annotation : new TreeSet<>(MARKERS.keySet())) {
            if (MARKERS.get(annotation).matcher(source).find() && MET_BY.get(annotation).stream()
                    .noneMatch(a -> Pattern.compile("(?m)^\\s*@" + a + "\\s*$").matcher(source).find())) {
                missing.add(name + ": needs @" + annotation);
            }
        }
        return missing;
    }

    /** The comma-separated tags of the one {@code <element>} of {@code pom}. */
    private static Set<String> tags(String pom, String element) {
        Matcher m = Pattern.compile("<" + element + ">([^<]*)</" + element + ">").matcher(pom);
        List<Set<String>> found = new ArrayList<>();
        while (m.find()) {
            found.add(new TreeSet<>(List.of(m.group(1).trim().split("\\s*,\\s*"))));
        }
        assertEquals(1, found.size(), "one <" + element + "> in pom.xml: " + found);
        return found.get(0);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
