package dev.paddy.maven;

import dev.paddy.manifest.Manifest;
import dev.paddy.manifest.ManifestException;
import dev.paddy.manifest.ManifestLoader;
import dev.paddy.manifest.MemberSpec;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.stream.Collectors;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Prints the member names as a JSON list, for a CI matrix: each job then runs
 * {@code mvn paddy:train paddy:tta deploy -Dpaddy.members=<name>}. Reads the manifest only (no
 * data needed), and prints on standard output so that {@code mvn -q paddy:matrix} gives the bare
 * list; with {@code paddy.matrix.output} it also writes {@code members=<list>} to that file
 * (GitHub Actions' {@code $GITHUB_OUTPUT}).
 */
@Mojo(name = "matrix", requiresProject = false, threadSafe = true)
public class MatrixMojo extends AbstractMojo {
    /** The experiment manifest; only its member names are read. */
    @Parameter(property = "paddy.manifest", defaultValue = "${project.basedir}/paddy.yaml", required = true)
    private File manifest;

    /** A file to append {@code members=<json list>} to, e.g. {@code $GITHUB_OUTPUT}. */
    @Parameter(property = "paddy.matrix.output")
    private File output;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        Manifest loaded;
        try {
            loaded = ManifestLoader.load(manifest.toPath());
        } catch (ManifestException e) {
            throw new MojoFailureException(e.getMessage() + "\nFix the manifest and run the build again.", e);
        }
        String json = membersJson(loaded);
        System.out.println(json);
        if (output != null) {
            try {
                Files.writeString(output.toPath(), "members=" + json + "\n", StandardCharsets.UTF_8,
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new MojoExecutionException("cannot write the matrix to " + output + ": " + e.getMessage(), e);
            }
        }
    }

    static String membersJson(Manifest manifest) {
        return manifest.members().stream().map(MemberSpec::name)
                .map(name -> "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining(",", "[", "]"));
    }
}
