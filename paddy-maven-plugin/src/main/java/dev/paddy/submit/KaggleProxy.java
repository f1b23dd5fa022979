package dev.paddy.submit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP proxy the Kaggle client goes through: Maven's (settings.xml's active proxy, which the
 * mojo reads), else the environment's ({@code HTTPS_PROXY} for an https address, {@code HTTP_PROXY}
 * for an http one, lower-case names too, as curl and the kaggle CLI read them, with {@code NO_PROXY}),
 * else the JVM's ({@code -Dhttps.proxyHost} and the like). Its credentials, if any, go with every
 * request as {@code Proxy-Authorization} (Basic).
 *
 * @param host        the proxy's host
 * @param port        its port
 * @param username    the user name for the proxy, or null
 * @param password    its password, or null
 * @param source      where it was configured, for the log (e.g. {@code settings.xml proxy 'corp'})
 */
public record KaggleProxy(String host, int port, String username, char[] password, String source) {

    /** The proxy the environment names for {@code url}, unless {@code NO_PROXY} exempts its host. */
    public static Optional<KaggleProxy> fromEnvironment(Map<String, String> environment, String url)
            throws SubmissionException {
        URI target = URI.create(url);
        String scheme = target.getScheme() == null ? "https" : target.getScheme().toLowerCase(Locale.ROOT);
        String name = scheme + "_proxy";
        String value = first(environment, name.toUpperCase(Locale.ROOT), name);
        if (value == null || value.isBlank() || exempt(first(environment, "NO_PROXY", "no_proxy"), target.getHost())) {
            return Optional.empty();
        }
        String variable = environment.containsKey(name.toUpperCase(Locale.ROOT)) ? name.toUpperCase(Locale.ROOT) : name;
        try {
            URI proxy = URI.create(value.contains("://") ? value.trim() : "http://" + value.trim());
            if (proxy.getHost() == null) {
                throw new IllegalArgumentException("no host");
            }
            String user = null;
            char[] password = null;
            if (proxy.getRawUserInfo() != null) {
                String[] parts = proxy.getUserInfo().split(":", 2);
                user = parts[0];
                password = parts.length > 1 ? parts[1].toCharArray() : new char[0];
            }
            return Optional.of(new KaggleProxy(proxy.getHost(), proxy.getPort() > 0 ? proxy.getPort() : 80, user, password,
                    "the environment variable " + variable));
        } catch (IllegalArgumentException e) {
            throw new SubmissionException("the environment variable " + variable + " is not a proxy address (e.g."
                    + " http://proxy.example.com:3128); fix or unset it. Nothing was submitted.");
        }
    }

    private static String first(Map<String, String> environment, String... names) {
        for (String name : names) {
            String value = environment.get(name);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    /** True when {@code noProxy} (comma-separated hosts, {@code .domain} or {@code *.domain} suffixes, {@code *}) names {@code host}. */
    static boolean exempt(String noProxy, String host) {
        if (noProxy == null || host == null) {
            return false;
        }
        String lower = host.toLowerCase(Locale.ROOT);
        for (String entry : noProxy.split(",")) {
            String rule = entry.trim().toLowerCase(Locale.ROOT).replaceFirst(":\\d+$", "");
            if (rule.equals("*")) {
                return true;
            }
            if (rule.startsWith("*")) {
                rule = rule.substring(1);
            }
            if (!rule.isEmpty() && (lower.equals(rule) || lower.endsWith(rule.startsWith(".") ? rule : "." + rule))) {
                return true;
            }
        }
        return false;
    }

    /** A selector that sends every request through this proxy. */
    ProxySelector selector() {
        Proxy proxy = new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(host, port));
        return new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                return List.of(proxy);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress address, IOException e) {
                // the request fails and says so
            }
        };
    }

    /**
     * The {@code Proxy-Authorization} header for its credentials (Basic), sent with every request:
     * the JDK's client drops an {@code Authorization} header set by hand once it has an
     * {@link java.net.Authenticator}, so the proxy's credentials cannot be an authenticator's
     * answer to a 407 without losing Kaggle's. Empty without credentials.
     */
    Optional<String> authorization() {
        if (username == null) {
            return Optional.empty();
        }
        String pair = username + ":" + (password == null ? "" : new String(password));
        return Optional.of("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }

    /** For the log: the proxy, where it was configured, and whether it has credentials (never them). */
    public String describe() {
        return "http://" + host + ":" + port + " (" + source + (username == null ? "" : ", as user '" + username + "'") + ")";
    }

    @Override
    public String toString() {
        return describe();
    }
}
