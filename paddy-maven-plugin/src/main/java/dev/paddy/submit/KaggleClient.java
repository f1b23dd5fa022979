package dev.paddy.submit;

import com.google.gson.JsonParseException;
import dev.paddy.io.Hashing;
import dev.paddy.io.Json;
import dev.paddy.io.Printable;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Submits a file to a Kaggle competition the way the kaggle CLI 1.8 does through kagglesdk:
 * (1) {@code POST /v1/competitions.CompetitionApiService/StartSubmissionUpload} answers a blob
 * token and a storage URL, (2) the file's bytes are {@code PUT} to that URL (a signed storage
 * URL: no credentials go there), (3) {@code POST .../CreateSubmission} turns the token into a
 * submission and answers Kaggle's message; (4) {@code POST .../ListSubmissions}, looked at a few
 * times ({@link Polling}), says whether Kaggle scored it and its public score. Requests go through
 * the proxy {@link Connection} names, else the JVM's. Every refusal a user can act on (401, 403, 404, 429,
 * no network) is a {@link SubmissionException} saying what to do; the credential's secret never
 * appears in a message.
 */
public final class KaggleClient {
    public static final String DEFAULT_URL = "https://api.kaggle.com";
    static final String SERVICE = "/v1/competitions.CompetitionApiService/";
    static final String START = "StartSubmissionUpload";
    static final String CREATE = "CreateSubmission";
    static final String LIST = "ListSubmissions";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CALL_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration UPLOAD_TIMEOUT = Duration.ofMinutes(10);
    /** Kaggle's answers are a few hundred bytes of JSON; a larger one is not read past this. */
    static final int MAX_ANSWER_BYTES = 1 << 20;

    /** What to submit: to which competition (its slug), which file, with which description. */
    public record Submission(String competition, Path file, String message) {}

    /** Kaggle's answer to CreateSubmission: its message, verbatim, and the submission's number (0: none given). */
    public record Receipt(String message, long ref) {}

    /**
     * How Kaggle's scoring of a new submission is awaited: up to {@code tries} looks at
     * ListSubmissions, {@code interval} apart (the first after one interval); 0 tries: not awaited.
     */
    public record Polling(int tries, Duration interval) {
        public static final Polling DEFAULT = new Polling(10, Duration.ofSeconds(3));
        public static final Polling NONE = new Polling(0, Duration.ZERO);

        public Polling {
            if (tries < 0 || interval == null || interval.isNegative()) {
                throw new IllegalArgumentException("polling needs tries >= 0 and an interval >= 0, not " + tries + " and "
                        + interval);
            }
        }
    }

    /**
     * Where and how the client talks to Kaggle: the API's address, the proxy Maven's settings.xml
     * names for it (else the environment's {@code HTTPS_PROXY}/{@code NO_PROXY} in {@code environment},
     * else the JVM's), and how the score is awaited.
     */
    public record Connection(String url, Optional<KaggleProxy> mavenProxy, Map<String, String> environment,
                             Polling polling) {
        /** {@code url} through the JVM's proxy, if any; the score is not awaited. */
        public static Connection of(String url) {
            return new Connection(url, Optional.empty(), Map.of(), Polling.NONE);
        }
    }

    /** Where Kaggle is with a submission: {@code PENDING}, {@code COMPLETE} or {@code ERROR}, and what it said. */
    public record Status(long ref, String status, String publicScore, String errorDescription) {
        public boolean pending() {
            return status.equals("PENDING");
        }

        public boolean complete() {
            return status.equals("COMPLETE");
        }
    }

    private record ListRequest(String competitionName, String group, String sortBy, int pageSize) {}

    private record ListResponse(List<Listed> submissions) {}

    private record Listed(Long ref, String status, String publicScore, String errorDescription) {}

    private record StartRequest(String competitionName, long contentLength, long lastModifiedEpochSeconds,
                                String fileName) {}

    private record StartResponse(String token, String createUrl) {}

    private record CreateRequest(String competitionName, String blobFileTokens, String submissionDescription) {}

    private record CreateResponse(String message, Long ref) {}

    /** kagglesdk reads a JSON body whose {@code code} is 400 or more as an error, whatever the HTTP status. */
    private record ErrorBody(Integer code, String message) {}

    private final URI base;
    private final Consumer<String> log;
    private final HttpClient http;
    /** The proxy's credentials, sent with every request when it has some. */
    private final Optional<String> proxyAuthorization;
    private final Optional<KaggleProxy> proxy;

    private KaggleClient(URI base, Optional<KaggleProxy> proxy, Consumer<String> log) {
        this.base = base;
        this.log = log;
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER);
        this.proxy = proxy;
        this.proxyAuthorization = proxy.flatMap(KaggleProxy::authorization);
        if (proxy.isPresent()) {
            builder.proxy(proxy.get().selector());
        } else if (ProxySelector.getDefault() != null) {
            builder.proxy(ProxySelector.getDefault()); // -Dhttps.proxyHost and the like, as for any JVM client
        }
        this.http = builder.build();
    }

    /** A client of the API at {@code url} (e.g. {@value #DEFAULT_URL}) through the JVM's proxy; {@code log} hears each step. */
    public static KaggleClient at(String url, Consumer<String> log) throws SubmissionException {
        return at(url, Optional.empty(), log);
    }

    /**
     * A client of the API at the connection's address, through Maven's proxy for it, else the
     * environment's, else the JVM's; the proxy used is logged.
     */
    public static KaggleClient at(Connection connection, Consumer<String> log) throws SubmissionException {
        Optional<KaggleProxy> proxy = connection.mavenProxy().isPresent() ? connection.mavenProxy()
                : KaggleProxy.fromEnvironment(connection.environment(), connection.url().trim());
        KaggleClient client = at(connection.url(), proxy, log);
        proxy.ifPresent(used -> log.accept("through the proxy " + used.describe()));
        return client;
    }

    private static KaggleClient at(String url, Optional<KaggleProxy> proxy, Consumer<String> log) throws SubmissionException {
        String trimmed = url == null ? "" : url.trim().replaceAll("/+$", "");
        try {
            URI uri = new URI(trimmed);
            if ("http".equals(uri.getScheme()) && uri.getHost() != null && !isLoopback(uri.getHost())) {
                // As kagglesdk: plain http only to this machine (a test server), never the credential in clear text.
                throw new SubmissionException("paddy.kaggle.url: '" + url + "' is plain http to another machine, which"
                        + " would send the Kaggle credential in clear text; use https (plain http is accepted only for"
                        + " localhost, 127.0.0.1 and ::1)");
            }
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return new KaggleClient(uri, proxy, log);
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new SubmissionException("paddy.kaggle.url: '" + url + "' is not an http(s) address; leave it unset for "
                + DEFAULT_URL + " or give e.g. -Dpaddy.kaggle.url=https://api.kaggle.com");
    }

    /** localhost or a loopback address, written as an address: no name is looked up to decide. */
    private static boolean isLoopback(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return bare.equalsIgnoreCase("localhost") || bare.matches("127(\\.\\d{1,3}){3}") || bare.equals("::1")
                || bare.equals("0:0:0:0:0:0:0:1");
    }

    public URI startUrl() {
        return URI.create(base + SERVICE + START);
    }

    public URI createUrl() {
        return URI.create(base + SERVICE + CREATE);
    }

    /** What {@link #submit} would send, as lines for the log; nothing is sent. */
    public List<String> dryRun(Submission submission, String credentials) throws IOException {
        Path file = submission.file();
        return List.of(
                "dry run: nothing is sent to Kaggle",
                "  url:         " + startUrl() + ", then the storage URL it answers, then " + createUrl(),
                "  competition: " + submission.competition(),
                "  file:        " + file.getFileName() + " (" + file + ")",
                "  size:        " + Files.size(file) + " bytes",
                "  sha-256:     " + Hashing.sha256(file),
                "  message:     " + submission.message(),
                "  credentials: " + credentials);
    }

    /** Uploads the file and creates the submission; Kaggle's answer is returned as it came. */
    public Receipt submit(Submission submission, KaggleCredential credential) throws SubmissionException, IOException {
        Path file = submission.file();
        byte[] bytes = Files.readAllBytes(file);
        StartRequest start = new StartRequest(submission.competition(), bytes.length,
                Files.getLastModifiedTime(file).toMillis() / 1000, file.getFileName().toString());
        StartResponse upload = fromJson(call(START, start, submission, credential), StartResponse.class, START);
        if (upload == null || blank(upload.token()) || blank(upload.createUrl())) {
            throw new IOException("Kaggle's answer to " + START + " has no token or createUrl; nothing was submitted");
        }
        put(upload.createUrl(), bytes, submission);
        CreateResponse created = fromJson(call(CREATE, new CreateRequest(submission.competition(), upload.token(),
                submission.message()), submission, credential), CreateResponse.class, CREATE);
        return new Receipt(created == null || created.message() == null ? ""
                : Printable.of(credential.mask(created.message())), // shown in the log: no ESC or line break from a server
                created == null || created.ref() == null ? 0 : created.ref());
    }

    /**
     * Looks at the competition's submissions up to {@code polling.tries()} times until submission
     * {@code ref} is no longer pending: its last status seen, or empty when it is not listed. A look
     * that fails ends the wait with that failure (the submission exists either way).
     */
    public Optional<Status> awaitStatus(Submission submission, long ref, KaggleCredential credential, Polling polling)
            throws SubmissionException, IOException {
        Optional<Status> seen = Optional.empty();
        for (int look = 1; look <= polling.tries(); look++) {
            try {
                Thread.sleep(polling.interval().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for Kaggle to score submission " + ref, e);
            }
            seen = status(submission, ref, credential);
            if (seen.isPresent() && !seen.get().pending()) {
                return seen;
            }
        }
        return seen;
    }

    /** Submission {@code ref} as ListSubmissions shows it (the newest 20 of the competition), or empty when it is not among them. */
    Optional<Status> status(Submission submission, long ref, KaggleCredential credential)
            throws SubmissionException, IOException {
        ListResponse listed = fromJson(call(LIST, new ListRequest(submission.competition(), "SUBMISSION_GROUP_ALL",
                "SUBMISSION_SORT_BY_DATE", 20), submission, credential), ListResponse.class, LIST);
        if (listed == null || listed.submissions() == null) {
            return Optional.empty();
        }
        return listed.submissions().stream().filter(s -> s != null && s.ref() != null && s.ref() == ref).findFirst()
                .map(s -> new Status(ref, statusName(s.status()), s.publicScore() == null ? "" : Printable.of(s.publicScore()),
                        s.errorDescription() == null ? "" : Printable.of(credential.mask(s.errorDescription()))));
    }

    /** kagglesdk's SubmissionStatus by name (PENDING, COMPLETE, ERROR), however prefixed or cased. */
    private static String statusName(String status) {
        String name = status == null || status.isBlank() ? "PENDING" : status.trim().toUpperCase(Locale.ROOT);
        name = name.replaceFirst("^(SUBMISSION_STATUS_|SUBMISSIONSTATUS\\.)", "");
        return Printable.of(name);
    }

    /** One call to the competition service, the body of a 2xx answer returned, every refusal translated. */
    private String call(String method, Object request, Submission submission, KaggleCredential credential)
            throws SubmissionException, IOException {
        URI url = URI.create(base + SERVICE + method);
        HttpRequest.Builder builder = HttpRequest.newBuilder(url).timeout(CALL_TIMEOUT)
                .header("Authorization", credential.authorization())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("User-Agent", "paddy-maven-plugin")
                .POST(HttpRequest.BodyPublishers.ofString(Json.toJson(request), StandardCharsets.UTF_8));
        proxyAuthorization.ifPresent(value -> builder.header("Proxy-Authorization", value));
        HttpRequest http = builder.build();
        log.accept("POST " + url);
        Answer response = send(http, method, submission);
        String body = response.body() == null ? "" : response.body();
        ErrorBody error = errorBody(body);
        int status = response.statusCode() / 100 == 2 && error != null && error.code() != null && error.code() >= 400
                ? error.code() : response.statusCode();
        if (status / 100 != 2 && LIST.equals(method)) {
            // After the submission: nothing to refuse any more, only a status that could not be read.
            throw new IOException(credential.mask("Kaggle answered HTTP " + status + (error == null || blank(error.message())
                    ? "" : " (\"" + Printable.of(error.message()) + "\")") + " to " + LIST));
        }
        if (status / 100 != 2) {
            refuse(status, error == null || blank(error.message()) ? ""
                    : ", Kaggle says \"" + Printable.of(error.message()) + "\"",
                    method, submission, credential);
        }
        return body;
    }

    private void put(String createUrl, byte[] bytes, Submission submission) throws SubmissionException, IOException {
        URI url = base.resolve(createUrl);
        String shown = url.getScheme() + "://" + url.getAuthority() + url.getPath(); // the query may be a signature
        HttpRequest.Builder builder = HttpRequest.newBuilder(url).timeout(UPLOAD_TIMEOUT)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes));
        proxyAuthorization.ifPresent(value -> builder.header("Proxy-Authorization", value));
        HttpRequest http = builder.build();
        log.accept(String.format(Locale.ROOT, "PUT %s (%d bytes)", shown, bytes.length));
        int status = send(http, "the upload to " + shown, submission).statusCode();
        if (status != 200 && status != 201) {
            throw new IOException("the upload of " + submission.file().getFileName() + " to " + shown
                    + " failed with HTTP " + status + "; nothing was submitted");
        }
    }

    /** What a server answered: its status and its body, read up to {@link #MAX_ANSWER_BYTES}. */
    private record Answer(int statusCode, String body) {}

    /** The body, or an IOException when it is larger than {@link #MAX_ANSWER_BYTES} (nothing more is read). */
    private static String bounded(InputStream body, URI from) throws IOException {
        try (InputStream in = body) {
            byte[] bytes = in.readNBytes(MAX_ANSWER_BYTES + 1);
            if (bytes.length > MAX_ANSWER_BYTES) {
                throw new AnswerTooLargeException(String.format(Locale.ROOT, "the answer from %s://%s is larger than"
                        + " %,d bytes, which no Kaggle answer is; it was not read further", from.getScheme(),
                        from.getAuthority(), MAX_ANSWER_BYTES));
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** An answer too large to be Kaggle's: not a network failure, so not retried as one. */
    private static final class AnswerTooLargeException extends IOException {
        AnswerTooLargeException(String message) {
            super(message);
        }
    }

    private Answer send(HttpRequest request, String step, Submission submission)
            throws SubmissionException, IOException {
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            Answer answer = new Answer(response.statusCode(), bounded(response.body(), request.uri()));
            if (answer.statusCode() == 407 && proxy.isPresent()) {
                String refused = proxyRefused(proxy.get()) + (LIST.equals(step) ? "" : " Nothing was submitted.");
                if (LIST.equals(step)) {
                    throw new IOException(refused);
                }
                throw new SubmissionException(refused);
            }
            return answer;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during " + step, e);
        } catch (AnswerTooLargeException e) {
            throw e;
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": "
                    + e.getMessage();
            String where = request.uri().getScheme() + "://" + request.uri().getAuthority();
            if (proxy.isPresent() && why.contains("407")) {
                // The JDK's own words for a tunnel (https) the proxy would not open.
                why += "; " + proxyRefused(proxy.get()) + (proxy.get().username() == null ? ""
                        : " For an https address the JDK sends Basic proxy credentials only when Maven runs with"
                        + " -Djdk.http.auth.tunneling.disabledSchemes= (empty; in MAVEN_OPTS or .mvn/jvm.config)");
            }
            if (LIST.equals(step)) {
                throw new IOException("could not reach " + where + " (" + why + ")", e);
            }
            if (CREATE.equals(step) && !(e instanceof ConnectException)) {
                throw new SubmissionException("the file was uploaded, but Kaggle's answer to " + CREATE
                        + " did not arrive from " + where + " (" + why + "): the submission may or may not exist;"
                        + " look at " + submissionsPage(submission) + " before running the build again.", e);
            }
            throw new SubmissionException("could not reach " + where + " (" + why + "): nothing was submitted."
                    + " Check the network connection or proxy (-Dpaddy.kaggle.url sets another address), then run"
                    + " the build again.", e);
        }
    }

    /** What a proxy's 407 means, and where its credentials come from. */
    private static String proxyRefused(KaggleProxy proxy) {
        return "the proxy " + proxy.describe() + (proxy.username() == null
                ? " asks for credentials (HTTP 407) and none are configured: add <username> and <password> to the"
                + " settings.xml <proxy>, or user:password@ to the proxy variable"
                : " refused its credentials (HTTP 407): fix them in " + proxy.source()) + ".";
    }

    /** Always throws: what the user can do about a refusal, or an {@link IOException} when nothing explains it. */
    private static void refuse(int status, String said, String method, Submission submission,
                               KaggleCredential credential) throws SubmissionException, IOException {
        String slug = submission.competition();
        String message = switch (status) {
            case 401 -> "Kaggle did not accept the credentials (HTTP 401" + said + "): the "
                    + (credential.isToken() ? "API token" : "API key") + " from " + credential.source()
                    + " is wrong or expired. Create a new one at https://www.kaggle.com/settings"
                    + " (API, Create New Token) and put it in " + credential.source() + ". Nothing was submitted.";
            case 403 -> "Kaggle refused the submission to '" + slug + "' (HTTP 403" + said + "): accept the"
                    + " competition's rules as " + (credential.isToken() ? "the token's account" : "'"
                    + credential.username() + "'") + " at https://www.kaggle.com/competitions/" + slug + "/rules, or"
                    + " check submission.competition in the manifest. Nothing was submitted.";
            case 404 -> "Kaggle knows no competition '" + slug + "' (HTTP 404" + said + "): check"
                    + " submission.competition in the manifest against the competition's address,"
                    + " https://www.kaggle.com/competitions/" + slug + ". Nothing was submitted.";
            case 429 -> "Kaggle refused the submission to '" + slug + "': too many submissions (HTTP 429" + said
                    + "). Competitions limit the submissions per day and Kaggle does not publish the limit; wait and run"
                    + " the build again, and see today's submissions at " + submissionsPage(submission)
                    + ". Nothing was submitted.";
            default -> null;
        };
        if (message != null) {
            throw new SubmissionException(credential.mask(message));
        }
        // No user action explains it (a 5xx, a 400): an unexpected answer, not the user's to fix.
        throw new IOException(credential.mask("Kaggle answered HTTP " + status + said + " to " + method
                + (START.equals(method) ? "; nothing was submitted"
                : "; look at " + submissionsPage(submission) + " before submitting again")));
    }

    private static <T> T fromJson(String body, Class<T> type, String method) throws IOException {
        try {
            return Json.fromJson(body, type);
        } catch (JsonParseException e) {
            throw new IOException("Kaggle's answer to " + method + " is not the JSON expected"
                    + (START.equals(method) ? "; nothing was submitted" : ""), e);
        }
    }

    private static ErrorBody errorBody(String body) {
        try {
            return body.isBlank() ? null : Json.fromJson(body, ErrorBody.class);
        } catch (JsonParseException | IllegalStateException e) {
            return null; // an HTML error page, say
        }
    }

    /** The competition's page listing one's submissions, where a submission can be checked. */
    public static String submissionsPage(Submission submission) {
        return "https://www.kaggle.com/competitions/" + submission.competition() + "/submissions";
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
