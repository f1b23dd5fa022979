package dev.paddy.submit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Kaggle's submission API played by the JDK's HTTP server on 127.0.0.1 (a free port): it records
 * every request (method, path, headers, body) and answers StartSubmissionUpload with a blob token
 * and a storage URL on itself, the PUT to that URL, CreateSubmission and ListSubmissions, each with
 * a status and body a test may change.
 */
public final class FakeKaggle implements AutoCloseable {
    public static final String START_PATH = "/v1/competitions.CompetitionApiService/StartSubmissionUpload";
    public static final String CREATE_PATH = "/v1/competitions.CompetitionApiService/CreateSubmission";
    public static final String LIST_PATH = "/v1/competitions.CompetitionApiService/ListSubmissions";
    public static final String STORAGE_PATH = "/storage/blob-token-42";
    public static final String TOKEN = "blob-token-42";
    public static final String SUCCESS = "Successfully submitted to Paddy Doctor: Paddy Disease Classification";

    /** One request as it arrived; header names lower-cased. */
    public record Request(String method, String path, String query, Map<String, String> headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    private record Answer(int status, String body) {}

    private final HttpServer server;
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private volatile Answer start;
    private volatile Answer put = new Answer(200, "");
    private volatile Answer create = new Answer(200, "{\"message\": \"" + SUCCESS + "\", \"ref\": 4242}");
    /** ListSubmissions' answers in turn, the last one repeated. */
    private final List<Answer> lists = Collections.synchronizedList(new ArrayList<>(List.of(new Answer(200,
            "{\"submissions\": []}"))));

    private FakeKaggle() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        start = new Answer(200, "{\"token\": \"" + TOKEN + "\", \"createUrl\": \"" + url() + STORAGE_PATH
                + "?X-Goog-Signature=s1gn3d\"}");
        server.createContext("/", this::handle);
        server.start();
    }

    public static FakeKaggle start() {
        try {
            return new FakeKaggle();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public FakeKaggle answerStart(int status, String body) {
        start = new Answer(status, body);
        return this;
    }

    public FakeKaggle answerPut(int status) {
        put = new Answer(status, "");
        return this;
    }

    public FakeKaggle answerCreate(int status, String body) {
        create = new Answer(status, body);
        return this;
    }

    /** ListSubmissions answers these bodies in turn (200), the last one from then on. */
    public FakeKaggle answerList(String... bodies) {
        synchronized (lists) {
            lists.clear();
            for (String body : bodies) {
                lists.add(new Answer(200, body));
            }
        }
        return this;
    }

    private Answer nextList() {
        synchronized (lists) {
            return lists.size() > 1 ? lists.remove(0) : lists.get(0);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), String.join(",", values)));
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            requests.add(new Request(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(),
                    headers, body));
            Answer answer = switch (exchange.getRequestMethod() + " " + path) {
                case "POST " + START_PATH -> start;
                case "PUT " + STORAGE_PATH -> put;
                case "POST " + CREATE_PATH -> create;
                case "POST " + LIST_PATH -> nextList();
                default -> new Answer(404, "{\"code\": 404, \"message\": \"no such path\"}");
            };
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
