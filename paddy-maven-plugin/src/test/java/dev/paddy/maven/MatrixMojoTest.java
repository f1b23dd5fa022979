package dev.paddy.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, found when tried: an alias bomb ended {@code mvn paddy:matrix} with Maven's generic
 * "Execution default-cli of goal ... failed: Number of aliases for non-scalar nodes exceeds the
 * specified max=50". It is a manifest problem now, with the file, line, column and advice.
 */
class MatrixMojoTest {
    @TempDir
    Path dir;

    @Test
    void anAliasBombIsAManifestProblemWithItsPlace() throws Exception {
        StringBuilder yaml = new StringBuilder("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (char level = 'b'; level <= 'i'; level++) {
            String previous = "*" + (char) (level - 1);
            yaml.append(level).append(": &").append(level).append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(9, previous))).append("]\n");
        }
        Path manifest = Files.writeString(dir.resolve("paddy.yaml"), yaml);
        MatrixMojo mojo = new MatrixMojo();
        var field = MatrixMojo.class.getDeclaredField("manifest");
        field.setAccessible(true);
        field.set(mojo, new File(manifest.toString()));
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertEquals("1 problem in the paddy manifest:\n  " + manifest.toAbsolutePath().normalize() + ":7:28: more than"
                + " 50 aliases to lists or mappings (this one is '*f'); paddy refuses such a manifest as a possible alias"
                + " bomb ('billion laughs': each alias can double what the document holds); write the repeated values"
                + " out, or use fewer anchors\nFix the manifest and run the build again.", e.getMessage());
    }
}
