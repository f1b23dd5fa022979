package dev.paddy.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The 'paddy' packaging (META-INF/plexus/components.xml, as filtered into target/classes) binds
 * every goal that has a default phase in that phase, at this plugin's version, in the order the
 * goals need; and the m2e metadata ignores every goal, so an IDE build never trains. Read against
 * the plugin descriptor the build generates, so a new goal that is not bound or ignored fails here.
 */
class PaddyPackagingTest {
    private static final Path CLASSES = Path.of("target/classes/META-INF");

    @Test
    void theLifecycleBindsEveryGoalInItsDefaultPhaseInTheOrderTheGoalsNeed() throws Exception {
        Document descriptor = parse(CLASSES.resolve("maven/plugin.xml"));
        String plugin = text(descriptor.getDocumentElement(), "groupId") + ":"
                + text(descriptor.getDocumentElement(), "artifactId") + ":"
                + text(descriptor.getDocumentElement(), "version") + ":";
        Map<String, List<String>> byDefaultPhase = new TreeMap<>();
        for (Element mojo : elements(descriptor.getDocumentElement(), "mojo")) {
            String phase = text(mojo, "phase");
            if (phase != null) {
                byDefaultPhase.computeIfAbsent(phase, p -> new ArrayList<>()).add(text(mojo, "goal"));
            }
        }

        Map<String, List<String>> bound = phases();
        Map<String, List<String>> paddyGoals = new TreeMap<>();
        bound.forEach((phase, goals) -> goals.stream().filter(g -> g.startsWith(plugin))
                .forEach(g -> paddyGoals.computeIfAbsent(phase, p -> new ArrayList<>()).add(g.substring(plugin.length()))));
        assertEquals(sorted(byDefaultPhase), sorted(paddyGoals), "paddy goals bound by the packaging, by phase");

        // Within a phase, the order written is the order Maven runs them in.
        assertEquals(List.of("probe-memory", "lr-find"), paddyGoals.get("process-resources"),
                "lr-find steps with the accumulation that probe-memory plans");
        assertEquals(List.of("ensemble", "submit", "export", "report"), paddyGoals.get("package"),
                "submit writes the ensemble's predictions; export the members' models; report shows them");
        assertEquals(List.of("org.apache.maven.plugins:maven-install-plugin:3.1.3:install"), bound.get("install"));
        assertEquals(List.of("org.apache.maven.plugins:maven-deploy-plugin:3.1.3:deploy", plugin + "upload"),
                bound.get("deploy"), "mvn deploy publishes the predictions, then submits");
    }

    @Test
    void theProjectsArtifactIsItsPomSoInstallNeedsNoMainFile() throws Exception {
        Element handler = components().get("org.apache.maven.artifact.handler.ArtifactHandler");
        Element configuration = elements(handler, "configuration").get(0);
        assertEquals("paddy", text(handler, "role-hint"));
        assertEquals("pom", text(configuration, "extension"));
        assertEquals("false", text(configuration, "addedToClasspath"));
    }

    @Test
    void m2eIgnoresEveryGoalSoAnIdeBuildNeverTrains() throws Exception {
        Document descriptor = parse(CLASSES.resolve("maven/plugin.xml"));
        TreeSet<String> goals = new TreeSet<>();
        elements(descriptor.getDocumentElement(), "mojo").forEach(m -> goals.add(text(m, "goal")));

        Document m2e = parse(CLASSES.resolve("m2e/lifecycle-mapping-metadata.xml"));
        TreeSet<String> ignored = new TreeSet<>();
        for (Element execution : elements(m2e.getDocumentElement(), "pluginExecution")) {
            if (!elements(execution, "ignore").isEmpty()) {
                elements(execution, "goal").forEach(g -> ignored.add(g.getTextContent().trim()));
            }
        }
        assertEquals(goals, ignored);
    }

    private static Map<String, List<String>> phases() throws Exception {
        Element mapping = components().get("org.apache.maven.lifecycle.mapping.LifecycleMapping");
        assertEquals("paddy", text(mapping, "role-hint"));
        Element phases = elements(mapping, "phases").get(0);
        Map<String, List<String>> bound = new LinkedHashMap<>();
        for (Node n = phases.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element phase) {
                List<String> goals = new ArrayList<>();
                for (String goal : phase.getTextContent().split(",")) {
                    goals.add(goal.trim());
                }
                bound.put(phase.getTagName(), goals);
            }
        }
        return bound;
    }

    private static Map<String, Element> components() throws Exception {
        Map<String, Element> byRole = new LinkedHashMap<>();
        for (Element c : elements(parse(CLASSES.resolve("plexus/components.xml")).getDocumentElement(), "component")) {
            byRole.put(text(c, "role"), c);
        }
        return byRole;
    }

    private static Map<String, List<String>> sorted(Map<String, List<String>> byPhase) {
        Map<String, List<String>> sorted = new TreeMap<>();
        byPhase.forEach((phase, goals) -> sorted.put(phase, goals.stream().sorted().toList()));
        return sorted;
    }

    private static Document parse(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }

    private static List<Element> elements(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        List<Element> list = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            list.add((Element) nodes.item(i));
        }
        return list;
    }

    /** The text of the first {@code tag} directly under {@code parent}, or null. */
    private static String text(Element parent, String tag) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return e.getTextContent().trim();
            }
        }
        return null;
    }
}
