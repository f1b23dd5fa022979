package dev.paddy.io;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Every JSON file paddy writes goes through here: records whose field names are their Java
 * component names (camelCase), written atomically, and read back so that a file that is missing
 * reads as absent and a damaged one (truncated, not JSON, fields missing) reads as absent too,
 * with the reason told to the caller, who recomputes: a cache entry is never trusted half-read.
 */
public final class Json {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    /** A record that can say what is missing from it after reading (null when it is whole). */
    public interface Checked {
        String problem();
    }

    private Json() {}

    public static String toJson(Object value) {
        return GSON.toJson(value);
    }

    public static <T> T fromJson(String json, Class<T> type) {
        return GSON.fromJson(json, type);
    }

    /** Writes {@code value} to {@code file} atomically. */
    public static void write(Path file, Object value) throws IOException {
        AtomicFiles.writeString(file, toJson(value));
    }

    /**
     * Reads {@code file} as a {@code type}: empty when the file does not exist (nothing is said)
     * or cannot be used ({@code whyNot} hears "{@code <file>}: cannot be read (reason)").
     */
    public static <T> Optional<T> read(Path file, Class<T> type, Consumer<String> whyNot) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        String problem;
        try {
            T value = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), type);
            problem = value == null ? "empty"
                    : value instanceof Checked checked ? checked.problem() : null;
            if (problem == null) {
                return Optional.of(value);
            }
        } catch (IOException | JsonParseException | IllegalStateException | IllegalArgumentException e) {
            problem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        whyNot.accept(file + ": cannot be read (" + problem + ")");
        return Optional.empty();
    }
}
