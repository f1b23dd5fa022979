package dev.paddy.submit;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * One Kaggle credential and where it was found: a user name with its API key (sent as HTTP Basic)
 * or an API token (sent as a Bearer token, {@code username} null). The secret is only ever
 * written into an {@code Authorization} header: {@link #toString()} masks it, and
 * {@link #mask(String)} removes it from any text that might reach a log or an exception.
 */
public record KaggleCredential(String username, String secret, String source) {
    static final String MASK = "****";

    public KaggleCredential {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("a Kaggle credential needs a key or token");
        }
    }

    /** A user name and API key, from {@code source} (e.g. "settings.xml server 'kaggle'"). */
    public static KaggleCredential apiKey(String username, String key, String source) {
        return new KaggleCredential(username, key, source);
    }

    /** An API token, from {@code source}. */
    public static KaggleCredential token(String token, String source) {
        return new KaggleCredential(null, token, source);
    }

    public boolean isToken() {
        return username == null;
    }

    /** The value of the {@code Authorization} header. */
    String authorization() {
        return isToken() ? "Bearer " + secret
                : "Basic " + basic();
    }

    private String basic() {
        return Base64.getEncoder().encodeToString((username + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /** Whose account and from where, without the secret: for logs and messages. */
    public String describe() {
        return isToken() ? "the API token from " + source : "user '" + username + "' with the API key from " + source;
    }

    /** {@code text} with the secret (and the header value carrying it) replaced by {@value #MASK}. */
    public String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = text.replace(secret, MASK);
        return isToken() ? masked : masked.replace(basic(), MASK);
    }

    @Override
    public String toString() {
        return "KaggleCredential[" + (isToken() ? "token" : "username=" + username + ", key") + "=" + MASK
                + ", source=" + source + "]";
    }
}
