package dev.paddy.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddy.TinyPaddy;
import dev.paddy.submit.KaggleClient;
import dev.paddy.submit.KaggleCredential;
import dev.paddy.submit.SubmissionException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoParameter;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sonatype.plexus.components.cipher.DefaultPlexusCipher;

/**
 * The mojos are wired to Maven: parameters bind, skip is logged, manifest errors become build
 * failures; paddy:upload reads the settings.xml server (decrypted by Maven's own decrypter) and skips
 * for a matrix runner or without a competition.
 */
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
                + "  " + file + ":2:10: data.train: folder not found: " + base + "/no_such_train_folder"
                + " (relative to the manifest's folder); create it or correct the path\n"
                + "  " + file + ":3:9: data.test: folder not found: " + base + "/no_such_test_folder"
                + " (relative to the manifest's folder); create it or correct the path\n"
                + "  " + file + ":4:22: data.sample_submission: file not found: " + base + "/no_such.csv"
                + " (relative to the manifest's folder); create it or correct the path\n"
                + "  " + file + ":8:5: unknown key 'epochz' in members[0] (did you mean 'epochs'?); allowed: name, arch,"
                + " accum, weight, weights, head, epochs, lr, lr_mult, batch_size, schedule, freeze_epochs, optimizer,"
                + " weight_decay, item, input_size, normalize, seed, targets, numerics\n"
                + "Fix the manifest and run the build again.", failure.getMessage());
    }

    @Test
    @InjectMojo(goal = "tta", pom = POM)
    @MojoParameter(name = "manifest", value = BROKEN)
    @MojoParameter(name = "skip", value = "true")
    void skipIsLoggedWithItsReason(TtaMojo mojo) throws Exception {
        List<String> lines = captureInfo(mojo);
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

    @TempDir
    Path dir;

    static List<String> captureInfo(org.apache.maven.plugin.Mojo mojo) {
        List<String> lines = new ArrayList<>();
        mojo.setLog(new SystemStreamLog() {
            @Override
            public void info(CharSequence content) {
                lines.add(content.toString());
            }
        });
        return lines;
    }

    @Test
    @InjectMojo(goal = "upload", pom = POM)
    void uploadDefaultsToKaggleAndGetsMavensDecrypter(UploadMojo mojo) {
        assertEquals(KaggleClient.DEFAULT_URL, mojo.kaggleUrl);
        assertEquals(false, mojo.dryRun);
        assertTrue(mojo.decrypter != null, "the SettingsDecrypter component is injected");
    }

    @Test
    @InjectMojo(goal = "upload", pom = POM)
    void theKaggleServerOfSettingsIsTheFirstCredentialEncryptedOrNot(UploadMojo mojo) throws Exception {
        mojo.settings = new Settings();
        assertEquals(Optional.empty(), mojo.fromSettings(), "no server 'kaggle': the environment decides");

        Server server = new Server();
        server.setId("kaggle");
        server.setUsername("ada");
        server.setPassword("plain-key-6666");
        mojo.settings.addServer(server);
        assertEquals(Optional.of(KaggleCredential.apiKey("ada", "plain-key-6666", "settings.xml server 'kaggle'")),
                mojo.fromSettings());

        // As 'mvn --encrypt-master-password' and 'mvn --encrypt-password' write them.
        DefaultPlexusCipher cipher = new DefaultPlexusCipher();
        Path security = Files.writeString(dir.resolve("settings-security.xml"), "<settingsSecurity><master>"
                + cipher.encryptAndDecorate("master-7777", "settings.security") + "</master></settingsSecurity>");
        server.setPassword(cipher.encryptAndDecorate("encrypted-key-8888", "master-7777"));
        String previous = System.getProperty("settings.security");
        System.setProperty("settings.security", security.toString());
        try {
            assertEquals(Optional.of(KaggleCredential.apiKey("ada", "encrypted-key-8888", "settings.xml server 'kaggle'")),
                    mojo.fromSettings());
            System.setProperty("settings.security", dir.resolve("missing.xml").toString());
            SubmissionException undecryptable = assertThrows(SubmissionException.class, mojo::fromSettings);
            assertTrue(undecryptable.getMessage().startsWith("settings.xml server 'kaggle': its password cannot be"
                    + " decrypted ("), undecryptable.getMessage());
            assertTrue(undecryptable.getMessage().endsWith("); check ~/.m2/settings-security.xml, see"
                    + " 'mvn --encrypt-password'"), undecryptable.getMessage());
        } finally {
            if (previous == null) {
                System.clearProperty("settings.security");
            } else {
                System.setProperty("settings.security", previous);
            }
        }

        server.setPassword(null);
        assertEquals("settings.xml server 'kaggle' needs <username> (your Kaggle user name) and <password> (your API key,"
                + " from https://www.kaggle.com/settings); or remove it to use the environment",
                assertThrows(SubmissionException.class, mojo::fromSettings).getMessage());
    }

    @Test
    @InjectMojo(goal = "upload", pom = POM)
    void uploadSkipsForAMatrixRunnerAndWithoutACompetition(UploadMojo mojo) throws Exception {
        TinyPaddy.create(dir, 2, 2, 2);
        mojo.manifest = TinyPaddy.manifest(dir, TinyPaddy.minimalYaml("members:\n  - {name: a, arch: resnet18}\n"))
                .toFile();
        mojo.outputDirectory = dir.resolve("target/paddy").toFile();
        mojo.cache = "off"; // a test leaves the user's machine cache alone
        List<String> lines = captureInfo(mojo);
        mojo.members = "a";
        mojo.execute();
        assertEquals("paddy:upload: skipped, paddy.members selects a only; run it without paddy.members to combine"
                + " every member", lines.get(1));

        lines.clear();
        mojo.members = "";
        mojo.execute();
        assertTrue(lines.get(1).startsWith("paddy:upload: skipped, " + mojo.manifest.toPath().toAbsolutePath()
                .normalize() + " names no competition"), lines.get(1));
    }

    @Test
    @InjectMojo(goal = "predict", pom = POM)
    void predictNeedsAFolderAndTrainedWeightsAndSaysSoAsAFailureOfTheGoal(PredictMojo mojo) throws Exception {
        TinyPaddy.create(dir, 2, 2, 2);
        mojo.manifest = TinyPaddy.manifest(dir, TinyPaddy.minimalYaml("members:\n  - {name: a, arch: resnet18}\n"))
                .toFile();
        mojo.outputDirectory = dir.resolve("target/paddy").toFile();
        mojo.cache = "off";
        MojoFailureException noFolder = assertThrows(MojoFailureException.class, mojo::execute);
        assertEquals("paddy:predict: name the folder of images to classify: mvn paddy:predict -Dpaddy.images=<folder>"
                + " [-Dpaddy.predictions=<file.csv>]", noFolder.getMessage());

        mojo.images = dir.resolve("data/test_images").toFile();
        MojoFailureException untrained = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(untrained.getMessage().startsWith("paddy:predict: 1 member(s) have no trained weights for their"
                + " current configuration on this machine, which paddy:predict needs:\n  member 'a': new\n"),
                untrained.getMessage());
    }
}
