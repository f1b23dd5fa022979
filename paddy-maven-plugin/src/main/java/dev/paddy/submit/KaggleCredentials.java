package dev.paddy.submit;

import dev.paddy.io.Json;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Finds the Kaggle credential, first found wins: (a) the build tool's own (Maven's {@code settings.xml}
 * server {@code kaggle}, decrypted by the caller), (b) {@code KAGGLE_USERNAME} and {@code KAGGLE_KEY},
 * (c) {@code KAGGLE_API_TOKEN} (the token, or a file holding it, as kagglesdk reads it),
 * (d) {@code kaggle.json} in {@code $KAGGLE_CONFIG_DIR}, else {@code ~/.kaggle} (else, as the
 * kaggle CLI does on Linux, {@code $XDG_CONFIG_HOME/kaggle}). The environment and the home folder
 * are given, so that nothing here reads the real ones unless asked to.
 */
public final class KaggleCredentials {
    /** The credential the build tool holds: empty when it has none; throws when it has a broken one. */
    @FunctionalInterface
    public interface Lookup {
        Optional<KaggleCredential> find() throws SubmissionException;

        Lookup NONE = Optional::empty;
    }

    static final String ENV_USERNAME = "KAGGLE_USERNAME";
    static final String ENV_KEY = "KAGGLE_KEY";
    static final String ENV_TOKEN = "KAGGLE_API_TOKEN";
    static final String ENV_CONFIG_DIR = "KAGGLE_CONFIG_DIR";
    private static final Set<PosixFilePermission> READABLE_BY_OTHERS =
            Set.of(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);

    private final Lookup settings;
    private final String settingsName;
    private final Map<String, String> env;
    private final Path home;

    /**
     * @param settings     the build tool's credential, asked first (and only when a credential is needed)
     * @param settingsName how to name it in messages, e.g. "settings.xml server 'kaggle'"
     */
    public KaggleCredentials(Lookup settings, String settingsName, Map<String, String> env, Path home) {
        this.settings = settings;
        this.settingsName = settingsName;
        this.env = Map.copyOf(env);
        this.home = home;
    }

    /** The first credential found, in the documented order; {@code warn} hears about a kaggle.json others can read. */
    public Optional<KaggleCredential> find(Consumer<String> warn) throws SubmissionException {
        Optional<KaggleCredential> fromSettings = settings.find();
        if (fromSettings.isPresent()) {
            return fromSettings;
        }
        String username = env(ENV_USERNAME);
        String key = env(ENV_KEY);
        if (username != null && key != null) {
            return Optional.of(KaggleCredential.apiKey(username, key,
                    "the environment variables " + ENV_USERNAME + " and " + ENV_KEY));
        }
        if (username != null || key != null) {
            warn.accept((username != null ? ENV_USERNAME + " is set but " + ENV_KEY : ENV_KEY + " is set but "
                    + ENV_USERNAME) + " is not: set both, or neither; looking further");
        }
        String token = env(ENV_TOKEN);
        if (token != null) {
            return Optional.of(fromToken(token.trim()));
        }
        Path file = kaggleJson();
        return Files.isRegularFile(file) ? Optional.of(fromKaggleJson(file, warn)) : Optional.empty();
    }

    /** Every place looked in, in order, for a message when none holds a credential. */
    public String searched() {
        return settingsName + ", " + ENV_USERNAME + " + " + ENV_KEY + ", " + ENV_TOKEN + ", " + kaggleJson();
    }

    /** {@code kaggle.json} where the kaggle CLI looks for it. */
    Path kaggleJson() {
        String configured = env(ENV_CONFIG_DIR);
        if (configured != null) {
            return Path.of(configured).resolve("kaggle.json");
        }
        Path dotKaggle = home.resolve(".kaggle");
        if (Files.isDirectory(dotKaggle)) {
            return dotKaggle.resolve("kaggle.json");
        }
        String xdg = env("XDG_CONFIG_HOME");
        return (xdg != null ? Path.of(xdg) : home.resolve(".config")).resolve("kaggle").resolve("kaggle.json");
    }

    private KaggleCredential fromToken(String token) throws SubmissionException {
        Path file = token.contains("/") || token.contains("\\") ? Path.of(token) : null;
        if (file == null || !Files.isRegularFile(file)) {
            return KaggleCredential.token(token, "the environment variable " + ENV_TOKEN);
        }
        try {
            String fromFile = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (fromFile.isEmpty()) {
                throw new SubmissionException(file + " (named by " + ENV_TOKEN + ") is empty; put the API token in it");
            }
            return KaggleCredential.token(fromFile, file + " (named by " + ENV_TOKEN + ")");
        } catch (IOException e) {
            throw new SubmissionException("cannot read " + file + " (named by " + ENV_TOKEN + "): " + e.getMessage(), e);
        }
    }

    /** The {@code {"username": ..., "key": ...}} file that Kaggle's "Create New Token" downloads. */
    private record KaggleJson(String username, String key) {}

    private static KaggleCredential fromKaggleJson(Path file, Consumer<String> warn) throws SubmissionException {
        warnIfReadableByOthers(file, warn);
        KaggleJson json;
        try {
            json = Json.fromJson(Files.readString(file, StandardCharsets.UTF_8), KaggleJson.class);
        } catch (IOException e) {
            throw new SubmissionException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (JsonParseException e) {
            json = null; // the parser's message may quote the file: it is not repeated
        }
        if (json == null || blank(json.username()) || blank(json.key())) {
            throw new SubmissionException(file + " is not a Kaggle API key file: expected {\"username\": \"...\","
                    + " \"key\": \"...\"}; download a new one at https://www.kaggle.com/settings (API, Create New Token)");
        }
        return KaggleCredential.apiKey(json.username(), json.key(), file.toString());
    }

    /** As the kaggle CLI does: a key that group or others may read is worth a warning, not a failure. */
    private static void warnIfReadableByOthers(Path file, Consumer<String> warn) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.stream().anyMatch(READABLE_BY_OTHERS::contains)) {
                warn.accept("your Kaggle API key is readable by other users on this system: " + file + " is "
                        + PosixFilePermissions.toString(permissions) + "; run 'chmod 600 " + file + "'");
            }
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system (Windows): nothing to check
        }
    }

    private String env(String name) {
        String value = env.get(name);
        return blank(value) ? null : value;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
