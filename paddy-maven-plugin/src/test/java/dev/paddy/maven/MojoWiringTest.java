package dev.paddy.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoParameter;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;

/** The mojos are wired to Maven: parameters bind, skip is logged, manifest errors become build failures. */
@MojoTest
class MojoWiringTest {
    static final String POM = """
            <project>
              <build>
                <plugins>
                  <plugin>
                    <artifactId>paddy-maven-plugin</artifactId>
                  </plugin>
                </plugins>
              </build>
            </project>
            """;
    static final String BROKEN = "src/test/resources/unit/broken/paddy.yaml";

    @Test
    @InjectMojo(goal = "train", pom = POM)
    @MojoParameter(name = "manifest", value = BROKEN)
    @MojoParameter(name = "outputDirectory", value = "target/unit-broken")
    void aBrokenManifestFailsTheBuildWithEveryProblem(TrainMojo mojo) {
        MojoFailureException failure = assertThrows(MojoFailureException.class, mojo::execute);
        String file = new File(BROKEN).getAbsoluteFile().toPath().normalize().toString();
        String base = new File(BROKEN).getAbsoluteFile().toPath().normalize().getParent().toString();
        assertEquals("4 problems in the paddy manifest:\n"
                + "  " + file + ":2:10: data.train: folder not found: " + base + "/no_such_train_folder\n"
                + "  " + file + ":3:9: data.test: folder not found: " + base + "/no_such_test_folder\n"
                + "  " + file + ":4:22: data.sample_submission: file not found: " + base + "/no_such.csv\n"
                + "  " + file + ":8:5: unknown key 'epochz' in members[0] (did you mean 'epochs'?); allowed: name, arch,"
                + " accum, weight, weights, epochs, lr, batch_size, schedule, freeze_epochs, optimizer, weight_decay,"
                + " item, input_size, seed\n"
                + "Fix the manifest and run the build again.", failure.getMessage());
    }

    @Test
    @InjectMojo(goal = "tta", pom = POM)
    @MojoParameter(name = "manifest", value = BROKEN)
    @MojoParameter(name = "skip", value = "true")
    void skipIsLoggedWithItsReason(TtaMojo mojo) throws Exception {
        List<String> lines = new ArrayList<>();
        mojo.setLog(new SystemStreamLog() {
            @Override
            public void info(CharSequence content) {
                lines.add(content.toString());
            }
        });
        mojo.execute();
        assertEquals(List.of("Skipping paddy:tta: paddy.skip is true"), lines);
    }

    @Test
    @InjectMojo(goal = "ensemble", pom = POM)
    @MojoParameter(name = "members", value = " a, b ,,c")
    void memberFilterIsACommaSeparatedList(EnsembleMojo mojo) {
        assertEquals(List.of("a", "b", "c"), new ArrayList<>(mojo.selectedMembers()));
        assertTrue(mojo.manifest.getPath().endsWith("paddy.yaml"), mojo.manifest.getPath());
    }
}
