package dev.paddy.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The paddy.yaml that {@code paddy-archetype} writes into a new experiment names every key the
 * manifest reader knows, set or commented, so a key added to {@link ManifestLoader} cannot be left
 * out of what a new user starts from. (That the generated manifest loads and trains is the
 * archetype's IT, paddy-archetype/src/it/new-experiment.)
 */
class ArchetypeManifestTest {
    static final Path MANIFEST = Path.of("..", "paddy-archetype", "src", "main", "resources", "archetype-resources",
            "paddy.yaml").toAbsolutePath().normalize();

    @Test
    void theNewExperimentsManifestNamesEveryKey() throws Exception {
        String yaml = Files.readString(MANIFEST);
        List<String> missing = ManifestLoader.SECTIONS.entrySet().stream()
                .flatMap(section -> section.getValue().stream()
                        .filter(key -> !Pattern.compile("(^|[\\s{,#])" + Pattern.quote(key) + ":", Pattern.MULTILINE)
                                .matcher(yaml).find())
                        .map(key -> (section.getKey().isEmpty() ? "" : section.getKey() + ".") + key))
                .toList();
        assertEquals(List.of(), missing, MANIFEST + " names no such key (set it, or show it in a comment with its default)");
    }
}
