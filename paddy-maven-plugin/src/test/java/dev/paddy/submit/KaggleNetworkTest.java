package dev.paddy.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kaggle client's network beyond the submission itself, on 127.0.0.1: a proxy (Maven's, with
 * credentials it asks for, and the environment's, with NO_PROXY) that records what went through
 * it, and awaiting the score with ListSubmissions (pending, then complete; still pending after the
 * bound; a failed look).
 */
class KaggleNetworkTest {
    static final String SLUG = "paddy-disease-classification";
    static final KaggleCredential API_KEY = KaggleCredential.apiKey("ada", "k3y-0123456789abcdef", "settings.xml server 'kaggle'");
    static final KaggleClient.Polling QUICK = new KaggleClient.Polling(5, Duration.ZERO);
    static final String PENDING = "{\"submissions\": [{\"ref\": 4242, \"status\": \"PENDING\", \"publicScore\": \"\"},"
            + " {\"ref\": 4100, \"status\": \"COMPLETE\", \"publicScore\": \"0.51000\"}]}";
    static final String COMPLETE = "{\"submissions\": [{\"ref\": 4242, \"status\": \"COMPLETE\", \"publicScore\": \"0.97312\","
            + " \"privateScore\": \"\"}, {\"ref\": 4100, \"status\": \"COMPLETE\", \"publicScore\": \"0.51000\"}]}";

    @TempDir
    Path dir;
    FakeKaggle kaggle;
    KaggleClient.Submission submission;
    final List<String> log = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        kaggle = FakeKaggle.start();
        submission = new KaggleClient.Submission(SLUG, Files.writeString(dir.resolve("submission.csv"),
                "image_id,label\n200001.jpg,normal\n"), "paddy test");
    }

    @AfterEach
    void stop() {
        kaggle.close();
    }

    KaggleClient.Connection connection(Optional<KaggleProxy> maven, Map<String, String> environment) {
        return new KaggleClient.Connection(kaggle.url(), maven, environment, KaggleClient.Polling.NONE);
    }

    @Test
    void mavensProxyCarriesEveryRequestWithItsCredentialsAndKagglesToo() throws Exception {
        try (RecordingProxy proxy = RecordingProxy.requiring("proxy-user", "proxy-pass")) {
            KaggleProxy maven = new KaggleProxy("127.0.0.1", proxy.port(), "proxy-user", "proxy-pass".toCharArray(),
                    "settings.xml proxy 'corp'");
            KaggleClient client = KaggleClient.at(connection(Optional.of(maven), Map.of("HTTP_PROXY", "http://127.0.0.1:9")),
                    log::add);
            assertEquals(4242, client.submit(submission, API_KEY).ref());

            assertEquals("through the proxy http://127.0.0.1:" + proxy.port() + " (settings.xml proxy 'corp', as user"
                    + " 'proxy-user')", log.get(0), "Maven's proxy comes before the environment's");
            assertFalse(String.join("\n", log).contains("proxy-pass"));
            String basic = "Basic " + Base64.getEncoder().encodeToString("proxy-user:proxy-pass".getBytes(StandardCharsets.UTF_8));
            List<String> forwarded = proxy.seen().stream()
                    .map(s -> s.method() + " " + s.uri().getPath() + " " + s.proxyAuthorization() + " " + s.answered()).toList();
            assertEquals(List.of("POST " + FakeKaggle.START_PATH + " " + basic + " 200",
                    "PUT " + FakeKaggle.STORAGE_PATH + " " + basic + " 200",
                    "POST " + FakeKaggle.CREATE_PATH + " " + basic + " 200"), forwarded,
                    "every request carries the proxy's credentials: it never had to ask (407)");
            assertEquals(URI.create(kaggle.url() + FakeKaggle.START_PATH), proxy.seen().get(0).uri(),
                    "a proxy request names the whole address");
            assertEquals(3, kaggle.requests().size(), "Kaggle got each request once, through the proxy");
            assertEquals("Basic " + Base64.getEncoder().encodeToString("ada:k3y-0123456789abcdef".getBytes(StandardCharsets.UTF_8)),
                    kaggle.requests().get(0).header("Authorization"), "Kaggle's credentials pass through the proxy");
        }
    }

    @Test
    void theEnvironmentsProxyIsUsedWithoutMavensAndNoProxyExemptsAHost() throws Exception {
        try (RecordingProxy proxy = RecordingProxy.open()) {
            KaggleClient client = KaggleClient.at(connection(Optional.empty(),
                    Map.of("HTTP_PROXY", "http://127.0.0.1:" + proxy.port(), "HTTPS_PROXY", "http://127.0.0.1:9")), log::add);
            client.submit(submission, API_KEY);
            assertEquals("through the proxy http://127.0.0.1:" + proxy.port() + " (the environment variable HTTP_PROXY)",
                    log.get(0), "an http address takes HTTP_PROXY, an https one HTTPS_PROXY");
            assertEquals(3, proxy.seen().size());

            log.clear();
            KaggleClient exempt = KaggleClient.at(connection(Optional.empty(),
                    Map.of("http_proxy", "127.0.0.1:" + proxy.port(), "NO_PROXY", "localhost,127.0.0.1")), log::add);
            exempt.submit(submission, API_KEY);
            assertEquals(3, proxy.seen().size(), "NO_PROXY names the host: nothing more went through the proxy");
            assertFalse(log.get(0).startsWith("through the proxy"));
            assertEquals(6, kaggle.requests().size());
        }
    }

    @Test
    void aProxyThatRefusesItsCredentialsIsSaidAsTheProxys() throws Exception {
        try (RecordingProxy proxy = RecordingProxy.requiring("proxy-user", "proxy-pass")) {
            KaggleProxy wrong = new KaggleProxy("127.0.0.1", proxy.port(), "proxy-user", "wrong-pass".toCharArray(),
                    "settings.xml proxy 'corp'");
            KaggleClient client = KaggleClient.at(connection(Optional.of(wrong), Map.of()), log::add);
            SubmissionException refused = assertThrows(SubmissionException.class, () -> client.submit(submission, API_KEY));
            assertEquals("the proxy http://127.0.0.1:" + proxy.port() + " (settings.xml proxy 'corp', as user 'proxy-user')"
                    + " refused its credentials (HTTP 407): fix them in settings.xml proxy 'corp'. Nothing was submitted.",
                    refused.getMessage());
            assertFalse(refused.getMessage().contains("wrong-pass"));

            KaggleClient without = KaggleClient.at(connection(Optional.empty(),
                    Map.of("HTTP_PROXY", "http://127.0.0.1:" + proxy.port())), log::add);
            assertTrue(assertThrows(SubmissionException.class, () -> without.submit(submission, API_KEY)).getMessage()
                    .contains("(the environment variable HTTP_PROXY) asks for credentials (HTTP 407) and none are configured"));
            assertTrue(kaggle.requests().isEmpty(), "nothing reached Kaggle");
        }
    }

    @Test
    void anUnreachableProxyIsANetworkFailureThatNamesNothingSecret() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        KaggleClient client = KaggleClient.at(connection(Optional.empty(), Map.of("HTTP_PROXY", "http://127.0.0.1:" + port)),
                log::add);
        SubmissionException failure = assertThrows(SubmissionException.class, () -> client.submit(submission, API_KEY));
        assertTrue(failure.getMessage().startsWith("could not reach " + kaggle.url() + " (ConnectException"), failure.getMessage());
        assertTrue(failure.getMessage().contains("nothing was submitted"));
        assertTrue(kaggle.requests().isEmpty());
    }

    @Test
    void aBadProxyVariableIsSaid() {
        SubmissionException failure = assertThrows(SubmissionException.class, () -> KaggleClient.at(
                connection(Optional.empty(), Map.of("HTTP_PROXY", "http://")), log::add));
        assertEquals("the environment variable HTTP_PROXY is not a proxy address (e.g. http://proxy.example.com:3128);"
                + " fix or unset it. Nothing was submitted.", failure.getMessage());
    }

    @Test
    void noProxyRules() {
        assertTrue(KaggleProxy.exempt("localhost, .kaggle.com", "api.kaggle.com"));
        assertTrue(KaggleProxy.exempt("kaggle.com", "api.kaggle.com"));
        assertTrue(KaggleProxy.exempt("*.kaggle.com", "api.kaggle.com"));
        assertTrue(KaggleProxy.exempt("*", "api.kaggle.com"));
        assertTrue(KaggleProxy.exempt("api.kaggle.com:443", "api.kaggle.com"));
        assertFalse(KaggleProxy.exempt("gle.com", "api.kaggle.com"));
        assertFalse(KaggleProxy.exempt("", "api.kaggle.com"));
        assertFalse(KaggleProxy.exempt(null, "api.kaggle.com"));
    }

    @Test
    void theScoreIsAwaitedPendingThenComplete() throws Exception {
        kaggle.answerList(PENDING, PENDING, COMPLETE);
        KaggleClient client = KaggleClient.at(kaggle.url(), log::add);
        Optional<KaggleClient.Status> status = client.awaitStatus(submission, 4242, API_KEY, QUICK);
        assertEquals(Optional.of(new KaggleClient.Status(4242, "COMPLETE", "0.97312", "")), status);
        List<FakeKaggle.Request> looks = kaggle.requests();
        assertEquals(3, looks.size(), "three looks: pending, pending, complete");
        FakeKaggle.Request look = looks.get(0);
        assertEquals("POST " + FakeKaggle.LIST_PATH, look.method() + " " + look.path());
        assertEquals("Basic " + Base64.getEncoder().encodeToString("ada:k3y-0123456789abcdef".getBytes(StandardCharsets.UTF_8)),
                look.header("Authorization"));
        JsonObject body = JsonParser.parseString(look.text()).getAsJsonObject();
        assertEquals(SLUG, body.get("competitionName").getAsString());
        assertEquals("SUBMISSION_GROUP_ALL", body.get("group").getAsString());
        assertEquals("SUBMISSION_SORT_BY_DATE", body.get("sortBy").getAsString());
    }

    @Test
    void aSubmissionStillPendingAfterTheBoundIsSaidPending() throws Exception {
        kaggle.answerList(PENDING);
        Optional<KaggleClient.Status> status = KaggleClient.at(kaggle.url(), log::add)
                .awaitStatus(submission, 4242, API_KEY, new KaggleClient.Polling(3, Duration.ZERO));
        assertTrue(status.orElseThrow().pending());
        assertEquals(3, kaggle.requests().size(), "no more looks than the bound");
    }

    @Test
    void anErrorAndItsDescriptionComeThrough() throws Exception {
        kaggle.answerList("{\"submissions\": [{\"ref\": 4242, \"status\": \"ERROR\", \"errorDescription\":"
                + " \"Submission has 2 rows, expected 3469\"}]}");
        KaggleClient.Status status = KaggleClient.at(kaggle.url(), log::add)
                .awaitStatus(submission, 4242, API_KEY, QUICK).orElseThrow();
        assertEquals(new KaggleClient.Status(4242, "ERROR", "", "Submission has 2 rows, expected 3469"), status);
        assertEquals(1, kaggle.requests().size());
    }

    @Test
    void aFailedLookSaysSoWithoutClaimingNothingWasSubmitted() throws Exception {
        kaggle.close();
        KaggleClient client = KaggleClient.at(kaggle.url(), log::add);
        IOException failure = assertThrows(IOException.class, () -> client.awaitStatus(submission, 4242, API_KEY, QUICK));
        assertTrue(failure.getMessage().startsWith("could not reach " + kaggle.url()), failure.getMessage());
        assertFalse(failure.getMessage().toLowerCase().contains("nothing was submitted"));
    }
}
