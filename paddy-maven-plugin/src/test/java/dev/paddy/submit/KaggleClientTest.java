package dev.paddy.submit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.paddy.io.Hashing;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kaggle client against a fake Kaggle on 127.0.0.1: the three requests of a submission as the
 * kaggle CLI sends them, each refusal's message, a closed port, the dry run; and no text it
 * produces (log lines, messages, Kaggle's answers) ever holds the key or the token.
 */
class KaggleClientTest {
    static final String KEY = "k3y-0123456789abcdef";
    static final String TOKEN = "t0ken-fedcba9876543210";
    static final String SLUG = "paddy-disease-classification";
    static final String SETTINGS = "settings.xml server 'kaggle'";
    static final KaggleCredential API_KEY = KaggleCredential.apiKey("ada", KEY, SETTINGS);
    static final KaggleCredential BEARER = KaggleCredential.token(TOKEN, "the environment variable KAGGLE_API_TOKEN");

    @TempDir
    Path dir;
    Path csv;
    FakeKaggle kaggle;
    /** Every line logged and every message thrown: scanned for secrets after each test. */
    final List<String> seen = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        kaggle = FakeKaggle.start();
        csv = Files.writeString(dir.resolve("submission.csv"), "image_id,label\n200001.jpg,bacterial_leaf_blight\n"
                + "200002.jpg,normal\n");
        Files.setLastModifiedTime(csv, FileTime.from(Instant.ofEpochSecond(1_700_000_123L, 456_000_000)));
    }

    @AfterEach
    void noSecretAnywhere() {
        kaggle.close();
        String basic = Base64.getEncoder().encodeToString(("ada:" + KEY).getBytes(StandardCharsets.UTF_8));
        for (String text : seen) {
            assertFalse(text.contains(KEY) || text.contains(TOKEN) || text.contains(basic), "a secret in: " + text);
        }
    }

    KaggleClient client(String url) throws SubmissionException {
        return KaggleClient.at(url, seen::add);
    }

    KaggleClient.Submission submission() {
        return new KaggleClient.Submission(SLUG, csv, "paddy 3f2a9c1b77de: a 0.2050, b 0.1850 (valid error)");
    }

    <T extends Exception> T fails(Class<T> type, Executable submit) {
        T failure = assertThrows(type, submit);
        for (Throwable t = failure; t != null; t = t.getCause()) {
            seen.add(String.valueOf(t.getMessage()));
        }
        seen.add(failure.toString());
        return failure;
    }

    static JsonObject json(FakeKaggle.Request request) {
        return JsonParser.parseString(request.text()).getAsJsonObject();
    }

    @Test
    void aSubmissionIsThreeRequestsInTheCliOrder() throws Exception {
        KaggleClient.Receipt receipt = client(kaggle.url()).submit(submission(), API_KEY);
        assertEquals(List.of("POST " + kaggle.url() + FakeKaggle.START_PATH,
                "PUT " + kaggle.url() + FakeKaggle.STORAGE_PATH + " (" + Files.size(csv) + " bytes)",
                "POST " + kaggle.url() + FakeKaggle.CREATE_PATH), seen, "each step is logged; the signature is not");
        seen.add(receipt.toString());
        assertEquals(new KaggleClient.Receipt(FakeKaggle.SUCCESS, 4242), receipt);

        List<FakeKaggle.Request> requests = kaggle.requests();
        assertEquals(List.of("POST " + FakeKaggle.START_PATH, "PUT " + FakeKaggle.STORAGE_PATH,
                "POST " + FakeKaggle.CREATE_PATH), requests.stream().map(r -> r.method() + " " + r.path()).toList());
        String basic = "Basic " + Base64.getEncoder().encodeToString(("ada:" + KEY).getBytes(StandardCharsets.UTF_8));

        FakeKaggle.Request start = requests.get(0);
        assertEquals(basic, start.header("Authorization"));
        assertEquals("application/json", start.header("Content-Type"));
        JsonObject startJson = json(start);
        assertEquals(SLUG, startJson.get("competitionName").getAsString());
        assertEquals(Files.size(csv), startJson.get("contentLength").getAsLong());
        assertEquals(1_700_000_123L, startJson.get("lastModifiedEpochSeconds").getAsLong());
        assertEquals("submission.csv", startJson.get("fileName").getAsString());
        assertEquals(4, startJson.size(), startJson.toString());

        FakeKaggle.Request put = requests.get(1);
        assertNull(put.header("Authorization"), "the storage URL is signed: no credentials go there");
        assertEquals("X-Goog-Signature=s1gn3d", put.query(), "the storage URL is used as Kaggle gave it");
        assertArrayEquals(Files.readAllBytes(csv), put.body());

        FakeKaggle.Request create = requests.get(2);
        assertEquals(basic, create.header("Authorization"));
        JsonObject createJson = json(create);
        assertEquals(SLUG, createJson.get("competitionName").getAsString());
        assertEquals(FakeKaggle.TOKEN, createJson.get("blobFileTokens").getAsString());
        assertEquals(submission().message(), createJson.get("submissionDescription").getAsString());
        assertEquals(3, createJson.size(), createJson.toString());
    }

    @Test
    void aTokenGoesAsBearerAndNeverToTheStorage() throws Exception {
        seen.add(client(kaggle.url() + "/").submit(submission(), BEARER).toString());
        List<FakeKaggle.Request> requests = kaggle.requests();
        assertEquals("Bearer " + TOKEN, requests.get(0).header("Authorization"));
        assertNull(requests.get(1).header("Authorization"));
        assertEquals("Bearer " + TOKEN, requests.get(2).header("Authorization"));
    }

    @Test
    void eachRefusalSaysWhatToDo() throws Exception {
        kaggle.answerStart(401, "{\"code\": 401, \"message\": \"Unauthenticated\"}");
        assertEquals("Kaggle did not accept the credentials (HTTP 401, Kaggle says \"Unauthenticated\"): the API key"
                + " from settings.xml server 'kaggle' is wrong or expired. Create a new one at"
                + " https://www.kaggle.com/settings (API, Create New Token) and put it in settings.xml server 'kaggle'."
                + " Nothing was submitted.", refusal(API_KEY).getMessage());
        assertEquals(1, kaggle.requests().size(), "nothing is uploaded after a refusal");

        kaggle.answerStart(401, "");
        assertEquals("Kaggle did not accept the credentials (HTTP 401): the API token from the environment variable"
                + " KAGGLE_API_TOKEN is wrong or expired. Create a new one at https://www.kaggle.com/settings (API,"
                + " Create New Token) and put it in the environment variable KAGGLE_API_TOKEN. Nothing was submitted.",
                refusal(BEARER).getMessage());

        kaggle.answerStart(403, "{\"code\": 403, \"message\": \"You must accept this competition's rules\"}");
        assertEquals("Kaggle refused the submission to 'paddy-disease-classification' (HTTP 403, Kaggle says \"You"
                + " must accept this competition's rules\"): accept the competition's rules as 'ada' at"
                + " https://www.kaggle.com/competitions/paddy-disease-classification/rules, or check"
                + " submission.competition in the manifest. Nothing was submitted.", refusal(API_KEY).getMessage());

        kaggle.answerStart(404, "<html>Not Found</html>");
        assertEquals("Kaggle knows no competition 'paddy-disease-classification' (HTTP 404): check"
                + " submission.competition in the manifest against the competition's address,"
                + " https://www.kaggle.com/competitions/paddy-disease-classification. Nothing was submitted.",
                refusal(API_KEY).getMessage());

        kaggle.answerStart(200, "{\"token\": \"" + FakeKaggle.TOKEN + "\", \"createUrl\": \"" + kaggle.url()
                + FakeKaggle.STORAGE_PATH + "\"}").answerCreate(429, "");
        assertEquals("Kaggle refused the submission to 'paddy-disease-classification': too many submissions (HTTP 429)."
                + " Competitions limit the submissions per day and Kaggle does not publish the limit; wait and run the"
                + " build again, and see today's submissions at"
                + " https://www.kaggle.com/competitions/paddy-disease-classification/submissions. Nothing was submitted.",
                refusal(API_KEY).getMessage());
    }

    SubmissionException refusal(KaggleCredential credential) throws SubmissionException {
        KaggleClient client = client(kaggle.url());
        return fails(SubmissionException.class, () -> client.submit(submission(), credential));
    }

    @Test
    void anErrorCodeInTheBodyIsARefusalWhateverTheStatus() throws Exception {
        // kagglesdk reads {"code": >= 400} as an error even in a 200; the key a server might echo is masked.
        kaggle.answerStart(200, "{\"code\": 404, \"message\": \"Competition not found for ada/" + KEY + "\"}");
        assertEquals("Kaggle knows no competition 'paddy-disease-classification' (HTTP 404, Kaggle says \"Competition"
                + " not found for ada/****\"): check submission.competition in the manifest against the competition's"
                + " address, https://www.kaggle.com/competitions/paddy-disease-classification. Nothing was submitted.",
                refusal(API_KEY).getMessage());
    }

    @Test
    void anAnswerNoUserActionExplainsIsAnIoException() throws Exception {
        kaggle.answerStart(503, "{\"code\": 503, \"message\": \"Service unavailable\"}");
        KaggleClient client = client(kaggle.url());
        IOException startFailed = fails(IOException.class, () -> client.submit(submission(), API_KEY));
        assertEquals("Kaggle answered HTTP 503, Kaggle says \"Service unavailable\" to StartSubmissionUpload; nothing"
                + " was submitted", startFailed.getMessage());

        kaggle.answerStart(200, "{\"token\": \"" + FakeKaggle.TOKEN + "\", \"createUrl\": \"" + kaggle.url()
                + FakeKaggle.STORAGE_PATH + "\"}").answerPut(403);
        assertEquals("the upload of submission.csv to " + kaggle.url() + FakeKaggle.STORAGE_PATH + " failed with HTTP 403;"
                + " nothing was submitted", fails(IOException.class, () -> client.submit(submission(), API_KEY)).getMessage());
        assertEquals(List.of("POST", "POST", "PUT"), kaggle.requests().stream().map(FakeKaggle.Request::method).toList(),
                "no CreateSubmission after a failed upload");

        kaggle.answerPut(201).answerCreate(500, "");
        assertEquals("Kaggle answered HTTP 500 to CreateSubmission; look at"
                + " https://www.kaggle.com/competitions/paddy-disease-classification/submissions before submitting again",
                fails(IOException.class, () -> client.submit(submission(), API_KEY)).getMessage());
    }

    @Test
    void aClosedPortIsANetworkFailureAndNothingWasSubmitted() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        KaggleClient client = client("http://127.0.0.1:" + port);
        SubmissionException failure = fails(SubmissionException.class, () -> client.submit(submission(), API_KEY));
        assertEquals("could not reach http://127.0.0.1:" + port + " (ConnectException): nothing was submitted. Check"
                + " the network connection or proxy (-Dpaddy.kaggle.url sets another address), then run the build"
                + " again.", failure.getMessage());
    }

    @Test
    void theDryRunSaysWhatWouldBeSentAndSendsNothing() throws Exception {
        List<String> lines = client(kaggle.url()).dryRun(submission(), API_KEY.describe());
        seen.addAll(lines);
        assertEquals(List.of(
                "dry run: nothing is sent to Kaggle",
                "  url:         " + kaggle.url() + FakeKaggle.START_PATH + ", then the storage URL it answers, then "
                        + kaggle.url() + FakeKaggle.CREATE_PATH,
                "  competition: paddy-disease-classification",
                "  file:        submission.csv (" + csv + ")",
                "  size:        " + Files.size(csv) + " bytes",
                "  sha-256:     " + Hashing.sha256(csv),
                "  message:     paddy 3f2a9c1b77de: a 0.2050, b 0.1850 (valid error)",
                "  credentials: user 'ada' with the API key from settings.xml server 'kaggle'"), lines);
        assertEquals(List.of(), kaggle.requests());
    }

    @Test
    void theAddressMustBeHttp() {
        SubmissionException failure = fails(SubmissionException.class, () -> KaggleClient.at("api.kaggle.com", seen::add));
        assertEquals("paddy.kaggle.url: 'api.kaggle.com' is not an http(s) address; leave it unset for"
                + " https://api.kaggle.com or give e.g. -Dpaddy.kaggle.url=https://api.kaggle.com", failure.getMessage());
    }

    @Test
    void plainHttpIsForThisMachineOnly() throws Exception {
        for (String remote : List.of("http://api.kaggle.com", "http://10.0.0.7:8080", "http://[2001:db8::1]/")) {
            SubmissionException failure = fails(SubmissionException.class, () -> KaggleClient.at(remote, seen::add));
            assertEquals("paddy.kaggle.url: '" + remote + "' is plain http to another machine, which would send the"
                    + " Kaggle credential in clear text; use https (plain http is accepted only for localhost,"
                    + " 127.0.0.1 and ::1)", failure.getMessage());
        }
        for (String local : List.of("http://localhost:8080", "http://127.0.0.1:9", "http://[::1]:9", "https://kaggle.example")) {
            assertEquals(local + FakeKaggle.START_PATH, client(local).startUrl().toString());
        }
    }

    @Test
    void anAnswerLargerThanAnyKaggleAnswerIsNotRead() throws Exception {
        kaggle.answerStart(200, "{\"token\": \"" + "x".repeat(KaggleClient.MAX_ANSWER_BYTES) + "\"}");
        IOException failure = fails(IOException.class, () -> client(kaggle.url()).submit(submission(), API_KEY));
        assertEquals(String.format(java.util.Locale.ROOT, "the answer from %s is larger than %,d bytes, which no Kaggle"
                + " answer is; it was not read further", kaggle.url(), KaggleClient.MAX_ANSWER_BYTES), failure.getMessage());
        assertEquals(List.of("POST"), kaggle.requests().stream().map(FakeKaggle.Request::method).toList(),
                "nothing uploaded after it");
    }

    @Test
    void kagglesMessageCannotMoveTheTerminalOrSplitTheLog() throws Exception {
        kaggle.answerCreate(200, "{\"message\": \"Successfully submitted\\u001b[2J\\n[INFO] BUILD SUCCESS\", \"ref\": 7}");
        KaggleClient.Receipt receipt = client(kaggle.url()).submit(submission(), API_KEY);
        assertEquals("Successfully submitted\\u001b[2J\\n[INFO] BUILD SUCCESS", receipt.message());
    }

    @Test
    void theCredentialNeverPrintsItsSecret() {
        seen.add(API_KEY.toString());
        seen.add(BEARER.toString());
        seen.add(API_KEY.describe());
        assertEquals("KaggleCredential[username=ada, key=****, source=settings.xml server 'kaggle']", API_KEY.toString());
        assertEquals("KaggleCredential[token=****, source=the environment variable KAGGLE_API_TOKEN]", BEARER.toString());
        assertEquals("key **** twice ****", API_KEY.mask("key " + KEY + " twice " + KEY));
    }
}
