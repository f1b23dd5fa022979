package dev.paddy.submit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * A forward HTTP proxy on 127.0.0.1 (a free port) for plain-http targets, as a company's proxy is
 * for the Kaggle client: it records each request's line (method and absolute URI) and
 * Proxy-Authorization header, answers 407 without the credentials it was given (if any), and
 * forwards the rest to the target directly.
 */
final class RecordingProxy implements AutoCloseable {
    /** One request as the proxy saw it. */
    record Seen(String method, URI uri, String proxyAuthorization, int answered) {}

    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "proxy-authorization",
            "proxy-connection", "upgrade", "expect", "keep-alive", "transfer-encoding");

    private final HttpServer server;
    private final String expected;
    private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
    private final HttpClient direct = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .proxy(HttpClient.Builder.NO_PROXY).build();

    private RecordingProxy(String user, String password) throws IOException {
        expected = user == null ? null : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A proxy that asks for no credentials. */
    static RecordingProxy open() {
        return requiring(null, null);
    }

    /** A proxy that answers 407 unless the request carries these Basic credentials. */
    static RecordingProxy requiring(String user, String password) {
        try {
            return new RecordingProxy(user, password);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    List<Seen> seen() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            byte[] body = exchange.getRequestBody().readAllBytes();
            String authorization = exchange.getRequestHeaders().getFirst("Proxy-Authorization");
            if (uri.getScheme() == null) {
                seen.add(new Seen(exchange.getRequestMethod(), uri, authorization, 400));
                exchange.sendResponseHeaders(400, -1); // not a proxy request
                return;
            }
            if (expected != null && !expected.equals(authorization)) {
                seen.add(new Seen(exchange.getRequestMethod(), uri, authorization, 407));
                exchange.getResponseHeaders().set("Proxy-Authenticate", "Basic realm=\"proxy\"");
                exchange.sendResponseHeaders(407, -1);
                return;
            }
            HttpRequest.Builder forward = HttpRequest.newBuilder(uri).method(exchange.getRequestMethod(),
                    body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase())) {
                    values.forEach(value -> forward.header(name, value));
                }
            });
            HttpResponse<byte[]> answer;
            try {
                answer = direct.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            seen.add(new Seen(exchange.getRequestMethod(), uri, authorization, answer.statusCode()));
            answer.headers().firstValue("Content-Type").ifPresent(type -> exchange.getResponseHeaders().set("Content-Type", type));
            exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
            if (answer.body().length > 0) {
                exchange.getResponseBody().write(answer.body());
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
