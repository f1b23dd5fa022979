package dev.paddy.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import dev.paddy.TinyPaddy;
import dev.paddy.io.Hashing;
import dev.paddy.io.Json;
import dev.paddy.submit.FakeKaggle;
import dev.paddy.submit.KaggleClient;
import dev.paddy.submit.KaggleCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * paddy:upload's stage through {@link Experiment#upload}: the submission file and the message it
 * sends (the manifest's, or the manifest's hash and the members' validation error rates), the skip
 * without a competition, the dry run (asked for, or for want of credentials) that sends nothing,
 * and refusals as {@link ExperimentException}s; no log line or message holds the key.
 */
class UploadStageTest {
    static final String KEY = "upload-stage-key-5555";
    static final String SLUG = "paddy-disease-classification";
    static final String MEMBERS = """
            members:
              - {name: a, arch: resnet18}
              - {name: b, arch: convnext_atto}
            """;

    @TempDir
    Path dir;
    Path out;
    FakeKaggle kaggle;
    final Map<String, String> env = new HashMap<>();
    final CollectedLog collected = new CollectedLog();
    final List<String> log = collected.lines;
    final List<String> seen = new ArrayList<>();

    @BeforeEach
    void project() throws Exception {
        TinyPaddy.create(dir, 2, 2, 3);
        out = dir.resolve("target/paddy");
        kaggle = FakeKaggle.start();
        env.put("KAGGLE_USERNAME", "ada");
        env.put("KAGGLE_KEY", KEY);
    }

    @AfterEach
    void noKeyAnywhere() {
        kaggle.close();
        seen.addAll(log);
        for (String text : seen) {
            assertFalse(text.contains(KEY), "the key in: " + text);
        }
    }

    /**
     * Opens the experiment with {@code submission}, member a trained (valid error 0.205), b with a
     * record of an earlier configuration only.
     */
    Experiment experiment(String submission) throws Exception {
        Path manifest = TinyPaddy.manifest(dir, TinyPaddy.minimalYaml(MEMBERS + submission));
        Experiment experiment = Experiment.open(manifest, out, collected);
        String key = experiment.members(Set.of("a")).get(0).keys().training();
        Json.write(experiment.layout().trainingRecord("a"), new TrainingRecord(key, "a", Map.of("stage", "train-v1"),
                List.of(), List.of(), 0.205, 1, 1, 4, 1, List.of(), 0, "", "checksum", null, null, null, null, null));
        // b's record is of an earlier configuration: its valid error is not b's now.
        Json.write(experiment.layout().trainingRecord("b"), new TrainingRecord("an earlier key", "b",
                Map.of("stage", "train-v1"), List.of(), List.of(), 0.5, 1, 1, 4, 1, List.of(), 0, "", "checksum", null,
                null, null, null, null));
        Files.writeString(experiment.layout().submission("submission.csv"), "image_id,label\n200001.png,bag\n");
        log.clear();
        return experiment;
    }

    /** An interactive, online upload (a dry run or not). */
    Optional<KaggleClient.Receipt> upload(Experiment experiment, boolean dryRun) throws Exception {
        return upload(experiment, new UploadMode(dryRun, false, false));
    }

    Optional<KaggleClient.Receipt> upload(Experiment experiment, UploadMode mode) throws Exception {
        return experiment.upload(kaggle.url(), new KaggleCredentials(KaggleCredentials.Lookup.NONE,
                "settings.xml server 'kaggle'", env, dir.resolve("home")), mode);
    }

    String defaultMessage() throws Exception {
        return "paddy " + Hashing.sha256(dir.resolve("paddy.yaml")).substring(0, 12) + ": a 0.2050, b ? (valid error)";
    }

    /** Issue 22, item 12: the report marks b's figures as an earlier configuration's, and a's as current. */
    @Test
    void theReportMarksARecordOfAnEarlierConfiguration() throws Exception {
        Experiment experiment = experiment("");
        Map<String, Boolean> earlier = new HashMap<>();
        experiment.reportModel().members().forEach(m -> earlier.put(m.name(), m.earlierConfiguration()));
        assertEquals(Map.of("a", false, "b", true), earlier);
    }

    @Test
    void theSubmissionGoesWithTheManifestsHashAndTheMembersErrorRates() throws Exception {
        Experiment experiment = experiment("submission: {competition: " + SLUG + "}\n");
        KaggleClient.Receipt receipt = upload(experiment, false).orElseThrow();
        assertEquals(new KaggleClient.Receipt(FakeKaggle.SUCCESS, 4242), receipt);

        List<FakeKaggle.Request> requests = kaggle.requests();
        assertEquals(3, requests.size());
        assertArrayEquals(Files.readAllBytes(out.resolve("submission.csv")), requests.get(1).body());
        var create = JsonParser.parseString(requests.get(2).text()).getAsJsonObject();
        assertEquals(defaultMessage(), create.get("submissionDescription").getAsString());
        assertTrue(defaultMessage().matches("paddy [0-9a-f]{12}: a 0\\.2050, b \\? \\(valid error\\)"), defaultMessage());
        assertEquals(List.of(
                "paddy:upload: submitting submission.csv to '" + SLUG + "' as user 'ada' with the API key from the"
                        + " environment variables KAGGLE_USERNAME and KAGGLE_KEY: " + defaultMessage(),
                "paddy:upload: POST " + kaggle.url() + FakeKaggle.START_PATH,
                "paddy:upload: PUT " + kaggle.url() + FakeKaggle.STORAGE_PATH + " (30 bytes)",
                "paddy:upload: POST " + kaggle.url() + FakeKaggle.CREATE_PATH,
                "paddy:upload: Kaggle says \"" + FakeKaggle.SUCCESS + "\" (submission 4242); its score and status:"
                        + " https://www.kaggle.com/competitions/" + SLUG + "/submissions"), log);
    }

    @Test
    void theManifestsMessageIsSentAsWrittenAndKagglesAnswerAsSaid() throws Exception {
        kaggle.answerCreate(200, "{\"message\": \"Submission limit reached for today\"}");
        Experiment experiment = experiment("submission:\n  competition: " + SLUG + "\n  message: 'tta n=8, 3 members'\n");
        assertEquals(Optional.of(new KaggleClient.Receipt("Submission limit reached for today", 0)),
                upload(experiment, false));
        var create = JsonParser.parseString(kaggle.requests().get(2).text()).getAsJsonObject();
        assertEquals("tta n=8, 3 members", create.get("submissionDescription").getAsString());
        assertEquals("WARN paddy:upload: Kaggle says \"Submission limit reached for today\"; its score and status:"
                + " https://www.kaggle.com/competitions/" + SLUG + "/submissions", log.get(log.size() - 1),
                "an answer that is not a success is reported verbatim, as a warning");
    }

    @Test
    void withoutACompetitionTheGoalSkipsAndSaysHowToEnableIt() throws Exception {
        assertEquals(Optional.empty(), upload(experiment(""), false));
        assertEquals(List.of("paddy:upload: skipped, " + dir.resolve("paddy.yaml").toAbsolutePath().normalize()
                + " names no competition; to submit the CSV with 'mvn deploy', add 'competition: <slug>' (e.g."
                + " paddy-disease-classification) under 'submission:'"), log);
        assertEquals(List.of(), kaggle.requests());
    }

    @Test
    void aDryRunSaysWhatWouldBeSentAndSendsNothing() throws Exception {
        Path csv = out.resolve("submission.csv");
        assertEquals(Optional.empty(), upload(experiment("submission: {competition: " + SLUG + "}\n"), true));
        assertEquals(List.of(
                "paddy:upload: dry run: nothing is sent to Kaggle",
                "paddy:upload:   url:         " + kaggle.url() + FakeKaggle.START_PATH
                        + ", then the storage URL it answers, then " + kaggle.url() + FakeKaggle.CREATE_PATH,
                "paddy:upload:   competition: " + SLUG,
                "paddy:upload:   file:        submission.csv (" + csv + ")",
                "paddy:upload:   size:        30 bytes",
                "paddy:upload:   sha-256:     " + Hashing.sha256(csv),
                "paddy:upload:   message:     " + defaultMessage(),
                "paddy:upload:   credentials: user 'ada' with the API key from the environment variables"
                        + " KAGGLE_USERNAME and KAGGLE_KEY"), log);
        assertEquals(List.of(), kaggle.requests());
    }

    /** Issue 21: under -o nothing is sent, and the build says so instead of passing; a dry run still works. */
    @Test
    void offlineTheUploadFailsAndSendsNothingUnlessItIsADryRun() throws Exception {
        Experiment experiment = experiment("submission: {competition: " + SLUG + "}\n");
        ExperimentException offline = assertThrows(ExperimentException.class,
                () -> upload(experiment, new UploadMode(false, true, true)));
        assertEquals("paddy:upload: Maven runs offline (-o), so nothing is sent to Kaggle; run the build without -o to"
                + " submit submission.csv, or add -Dpaddy.dryRun to see what would be sent", offline.getMessage());
        assertEquals(List.of(), kaggle.requests());
        assertEquals(Optional.empty(), upload(experiment, new UploadMode(true, true, true)));
        assertEquals("paddy:upload: dry run: nothing is sent to Kaggle", log.get(0));
        assertEquals(List.of(), kaggle.requests());
    }

    /** Issue 21: in batch mode (CI) missing credentials fail the build, where interactively they make a dry run. */
    @Test
    void inBatchModeMissingCredentialsFailTheBuildUnlessItIsADryRun() throws Exception {
        env.clear();
        Experiment experiment = experiment("submission: {competition: " + SLUG + "}\n");
        ExperimentException none = assertThrows(ExperimentException.class,
                () -> upload(experiment, new UploadMode(false, false, true)));
        assertEquals("paddy:upload: no Kaggle credentials found (looked in settings.xml server 'kaggle',"
                + " KAGGLE_USERNAME + KAGGLE_KEY, KAGGLE_API_TOKEN, " + dir.resolve("home/.config/kaggle/kaggle.json")
                + "); in batch mode (-B, as on CI) that fails the build instead of passing as a dry run. Put them where"
                + " the README's 'Submitting to the competition' says, or add -Dpaddy.dryRun to send nothing on purpose",
                none.getMessage());
        assertEquals(List.of(), kaggle.requests());
        assertEquals(Optional.empty(), upload(experiment, new UploadMode(true, false, true)));
        assertEquals("paddy:upload:   credentials: none found", log.get(log.size() - 1));
        assertEquals(List.of(), kaggle.requests());
    }

    @Test
    void interactivelyWithoutCredentialsTheDefaultIsADryRun() throws Exception {
        env.clear();
        assertEquals(Optional.empty(), upload(experiment("submission: {competition: " + SLUG + "}\n"), false));
        assertEquals("WARN paddy:upload: no Kaggle credentials found (looked in settings.xml server 'kaggle',"
                + " KAGGLE_USERNAME + KAGGLE_KEY, KAGGLE_API_TOKEN, " + dir.resolve("home/.config/kaggle/kaggle.json")
                + "): a dry run instead; see the README's 'Submitting to the competition' for where to put them",
                log.get(0));
        assertEquals("paddy:upload:   credentials: none found", log.get(log.size() - 1));
        assertEquals(List.of(), kaggle.requests());
    }

    @Test
    void aMissingSubmissionOrARefusalIsTheUsersToFix() throws Exception {
        Experiment experiment = experiment("submission: {competition: " + SLUG + "}\n");
        Path csv = out.resolve("submission.csv");
        Files.delete(csv);
        ExperimentException missing = assertThrows(ExperimentException.class, () -> upload(experiment, false));
        assertEquals("no submission to upload: " + csv + " does not exist; run 'mvn package' (paddy:submit writes it)"
                + " before paddy:upload", missing.getMessage());

        Files.writeString(csv, "image_id,label\n");
        kaggle.answerStart(401, "{\"code\": 401, \"message\": \"bad key " + KEY + "\"}");
        ExperimentException refused = assertThrows(ExperimentException.class, () -> upload(experiment, false));
        seen.add(refused.getMessage());
        seen.add(refused.getCause().getMessage());
        assertEquals("Kaggle did not accept the credentials (HTTP 401, Kaggle says \"bad key ****\"): the API key from"
                + " the environment variables KAGGLE_USERNAME and KAGGLE_KEY is wrong or expired. Create a new one at"
                + " https://www.kaggle.com/settings (API, Create New Token) and put it in the environment variables"
                + " KAGGLE_USERNAME and KAGGLE_KEY. Nothing was submitted.", refused.getMessage());
    }

    /** Submits with the score awaited by {@code tries} looks at ListSubmissions, no time apart. */
    List<String> uploadAwaiting(int tries) throws Exception {
        Experiment experiment = experiment("submission: {competition: " + SLUG + "}\n");
        experiment.upload(new KaggleClient.Connection(kaggle.url(), Optional.empty(), Map.of(),
                new KaggleClient.Polling(tries, Duration.ZERO)), new KaggleCredentials(KaggleCredentials.Lookup.NONE,
                "settings.xml server 'kaggle'", env, dir.resolve("home")), new UploadMode(false, false, false));
        return log.subList(5, log.size()); // after the submission's own lines
    }

    static final String PENDING = "{\"submissions\": [{\"ref\": 4242, \"status\": \"PENDING\"}]}";

    @Test
    void afterSubmittingTheBuildSaysTheStatusAndPublicScore() throws Exception {
        kaggle.answerList(PENDING, "{\"submissions\": [{\"ref\": 4242, \"status\": \"COMPLETE\", \"publicScore\": \"0.97312\"}]}");
        assertEquals(List.of("paddy:upload: POST " + kaggle.url() + FakeKaggle.LIST_PATH,
                "paddy:upload: POST " + kaggle.url() + FakeKaggle.LIST_PATH,
                "paddy:upload: submission 4242 is complete: public score 0.97312"), uploadAwaiting(10));
        assertEquals(5, kaggle.requests().size(), "the submission's three requests, then two looks");
    }

    @Test
    void aSubmissionStillPendingAfterTheBoundSaysWhereToLook() throws Exception {
        kaggle.answerList(PENDING);
        List<String> said = uploadAwaiting(2);
        assertEquals("paddy:upload: submission 4242 is still pending after 2 look(s) 0.0 s apart; its score will be at"
                + " https://www.kaggle.com/competitions/" + SLUG + "/submissions (or: kaggle competitions submissions -c "
                + SLUG + "; -Dpaddy.kaggle.pollTries waits longer)", said.get(said.size() - 1));
        assertEquals(5, kaggle.requests().size());
    }

    @Test
    void aSubmissionKaggleCouldNotScoreIsAWarningWithKagglesReason() throws Exception {
        kaggle.answerList("{\"submissions\": [{\"ref\": 4242, \"status\": \"ERROR\", \"errorDescription\": \"bad rows\"}]}");
        List<String> said = uploadAwaiting(3);
        assertEquals("WARN paddy:upload: Kaggle could not score submission 4242 (status ERROR: bad rows); see"
                + " https://www.kaggle.com/competitions/" + SLUG + "/submissions", said.get(said.size() - 1));
    }

    @Test
    void aLookThatFailsIsAWarningNotAFailedBuild() throws Exception {
        kaggle.answerList("not json");
        List<String> said = uploadAwaiting(3);
        assertEquals("WARN paddy:upload: submission 4242 was made, but its status could not be read (Kaggle's answer to"
                + " ListSubmissions is not the JSON expected); look at https://www.kaggle.com/competitions/" + SLUG
                + "/submissions", said.get(said.size() - 1));
    }
}
