package dev.paddy.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the credential comes from, first found wins: settings.xml, KAGGLE_USERNAME + KAGGLE_KEY,
 * KAGGLE_API_TOKEN, kaggle.json; with an environment and a home folder of the test's own, and a
 * warning (as the kaggle CLI's) when kaggle.json is readable by others. No secret is ever said.
 */
class KaggleCredentialsTest {
    static final String SETTINGS = "settings.xml server 'kaggle'";
    static final List<String> SECRETS = List.of("settings-key-1111", "env-key-2222", "token-3333", "json-key-4444");

    @TempDir
    Path home;
    final Map<String, String> env = new HashMap<>();
    final List<String> warnings = new ArrayList<>();
    final List<String> seen = new ArrayList<>();
    Optional<KaggleCredential> settings = Optional.empty();

    @BeforeEach
    void everySourceHoldsACredential() throws IOException {
        settings = Optional.of(KaggleCredential.apiKey("from-settings", "settings-key-1111", SETTINGS));
        env.put("KAGGLE_USERNAME", "from-env");
        env.put("KAGGLE_KEY", "env-key-2222");
        env.put("KAGGLE_API_TOKEN", "token-3333");
        writeKaggleJson(home.resolve(".kaggle"), "rw-------");
    }

    @AfterEach
    void noSecretWasSaid() {
        seen.addAll(warnings);
        for (String text : seen) {
            for (String secret : SECRETS) {
                assertFalse(text.contains(secret), "a secret in: " + text);
            }
        }
    }

    Path writeKaggleJson(Path folder, String permissions) throws IOException {
        Path file = Files.createDirectories(folder).resolve("kaggle.json");
        Files.writeString(file, "{\"username\": \"from-json\", \"key\": \"json-key-4444\"}");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }

    KaggleCredentials credentials() {
        return new KaggleCredentials(() -> settings, SETTINGS, env, home);
    }

    KaggleCredential found() throws SubmissionException {
        KaggleCredential credential = credentials().find(warnings::add).orElseThrow();
        seen.add(credential.toString());
        seen.add(credential.describe());
        return credential;
    }

    @Test
    void settingsThenUsernameAndKeyThenTokenThenKaggleJson() throws Exception {
        assertEquals(KaggleCredential.apiKey("from-settings", "settings-key-1111", SETTINGS), found());

        settings = Optional.empty();
        assertEquals(KaggleCredential.apiKey("from-env", "env-key-2222",
                "the environment variables KAGGLE_USERNAME and KAGGLE_KEY"), found());

        env.remove("KAGGLE_USERNAME");
        env.remove("KAGGLE_KEY");
        assertEquals(KaggleCredential.token("token-3333", "the environment variable KAGGLE_API_TOKEN"), found());

        env.remove("KAGGLE_API_TOKEN");
        Path json = home.resolve(".kaggle/kaggle.json");
        KaggleCredential fromFile = found();
        assertEquals(KaggleCredential.apiKey("from-json", "json-key-4444", json.toString()), fromFile);
        assertEquals("user 'from-json' with the API key from " + json, fromFile.describe());

        Files.delete(json);
        assertEquals(Optional.empty(), credentials().find(warnings::add));
        assertEquals(List.of(), warnings);
        assertEquals(SETTINGS + ", KAGGLE_USERNAME + KAGGLE_KEY, KAGGLE_API_TOKEN, " + json, credentials().searched());
    }

    @Test
    void halfAUsernameAndKeyIsSaidAndSkipped() throws Exception {
        settings = Optional.empty();
        env.remove("KAGGLE_KEY");
        assertEquals(KaggleCredential.token("token-3333", "the environment variable KAGGLE_API_TOKEN"), found());
        assertEquals(List.of("KAGGLE_USERNAME is set but KAGGLE_KEY is not: set both, or neither; looking further"),
                warnings);
    }

    @Test
    void kaggleConfigDirComesBeforeTheHomeFolder() throws Exception {
        settings = Optional.empty();
        env.clear();
        Path elsewhere = home.resolve("config");
        Path file = writeKaggleJson(elsewhere, "rw-------");
        Files.writeString(file, "{\"username\": \"configured\", \"key\": \"json-key-4444\"}");
        env.put("KAGGLE_CONFIG_DIR", elsewhere.toString());
        assertEquals(KaggleCredential.apiKey("configured", "json-key-4444", file.toString()), found());
    }

    @Test
    void aKaggleJsonOthersCanReadIsWarnedAbout() throws Exception {
        settings = Optional.empty();
        env.clear();
        Path file = writeKaggleJson(home.resolve(".kaggle"), "rw-r--r--");
        assertEquals("from-json", found().username());
        assertEquals(List.of("your Kaggle API key is readable by other users on this system: " + file
                + " is rw-r--r--; run 'chmod 600 " + file + "'"), warnings);

        warnings.clear();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        found();
        assertEquals(1, warnings.size(), "readable by the group is warned about too");

        warnings.clear();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        found();
        assertEquals(List.of(), warnings);
    }

    @Test
    void aDamagedKaggleJsonSaysWhatItShouldHoldWithoutQuotingIt() throws Exception {
        settings = Optional.empty();
        env.clear();
        Path file = home.resolve(".kaggle/kaggle.json");
        String expected = file + " is not a Kaggle API key file: expected {\"username\": \"...\", \"key\": \"...\"};"
                + " download a new one at https://www.kaggle.com/settings (API, Create New Token)";
        for (String damaged : List.of("{\"username\": \"a\", \"key\": \"json-key-4444\"", "json-key-4444",
                "{\"user\": \"a\", \"key\": \"json-key-4444\"}", "")) {
            Files.writeString(file, damaged);
            SubmissionException failure = assertThrows(SubmissionException.class, () -> credentials().find(warnings::add));
            seen.add(failure.getMessage());
            assertEquals(expected, failure.getMessage(), damaged);
        }
    }

    @Test
    void kaggleApiTokenMayNameAFileAsKagglesdkReadsIt() throws Exception {
        settings = Optional.empty();
        env.remove("KAGGLE_USERNAME");
        Path file = Files.writeString(home.resolve("access_token"), "token-3333\n");
        env.put("KAGGLE_API_TOKEN", file.toString());
        assertEquals(KaggleCredential.token("token-3333", file + " (named by KAGGLE_API_TOKEN)"), found());
    }
}
