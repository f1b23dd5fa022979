package dev.paddy.io;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * Every JSON file paddy writes goes through here: records whose field names are their Java
 * component names (camelCase), written atomically, and read back so that a file that is missing
 * reads as absent and a damaged one (truncated, not JSON, fields missing) reads as absent too,
 * with the reason told to the caller, who recomputes: a cache entry is never trusted half-read.
 *
 * <p>Each file starts with its format and a CRC32C of its text ({@code "format": 1, "crc32c":
 * "89abcdef"}, computed with the checksum's digits as zeros), so a bit flip that still parses (a
 * digit of a metric, a letter of a key) is caught as well, and a file from a newer paddy (a higher
 * format) is set aside instead of misread. Files without the two fields, from a paddy before them,
 * are read as they are.
 */
public final class Json {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();
    private static final Gson GSON_LINE = new GsonBuilder().serializeSpecialFloatingPointValues().create();
    /** The format this paddy writes and the highest it reads. */
    static final int FORMAT = 1;
    private static final String NO_CHECKSUM = "00000000";
    private static final Pattern HEADER = Pattern.compile("\\A\\{\\s*\"format\": (\\d{1,9}),\\s*\"crc32c\": \"([0-9a-f]{8})\"");

    /** A record that can say what is missing from it after reading (null when it is whole). */
    public interface Checked {
        String problem();
    }

    private Json() {}

    public static String toJson(Object value) {
        return GSON.toJson(value);
    }

    /** {@code value} as JSON on one line: a message of a line protocol. */
    public static String toJsonLine(Object value) {
        return GSON_LINE.toJson(value);
    }

    public static <T> T fromJson(String json, Class<T> type) {
        return GSON.fromJson(json, type);
    }

    /** Writes {@code value} (an object: a record or a map) to {@code file} atomically, with its format and checksum. */
    public static void write(Path file, Object value) throws IOException {
        AtomicFiles.writeString(file, withChecksum(toJson(value)));
    }

    /** The pretty-printed object {@code json} with the format and checksum as its first fields. */
    static String withChecksum(String json) {
        if (!json.startsWith("{")) {
            throw new IllegalArgumentException("not a JSON object: " + json.substring(0, Math.min(20, json.length())));
        }
        String rest = json.substring(1).stripLeading();
        String text = "{\n  \"format\": " + FORMAT + ",\n  \"crc32c\": \"" + NO_CHECKSUM + "\""
                + (rest.equals("}") ? "\n}" : ",\n  " + rest);
        Matcher header = HEADER.matcher(text);
        header.find();
        return text.substring(0, header.start(2)) + crc32c(text.getBytes(StandardCharsets.UTF_8))
                + text.substring(header.end(2));
    }

    /** Why {@code text} cannot be trusted (from a newer paddy, or its checksum fails); null when it can, or has no checksum. */
    static String checksumProblem(byte[] bytes) {
        // Latin-1 keeps one character per byte: the header's positions are byte offsets, whatever follows it.
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        Matcher header = HEADER.matcher(text);
        if (!header.find()) {
            return null; // written before files carried a checksum (or damaged there: parsing says so)
        }
        int format = Integer.parseInt(header.group(1));
        if (format > FORMAT) {
            return "written by a newer paddy (format " + format + "; this paddy reads format " + FORMAT
                    + " and older)";
        }
        String recorded = header.group(2);
        byte[] zeroed = bytes.clone();
        for (int i = header.start(2); i < header.end(2); i++) {
            zeroed[i] = '0';
        }
        String actual = crc32c(zeroed);
        return actual.equals(recorded) ? null : String.format(Locale.ROOT,
                "checksum mismatch: CRC32C %s, the file records %s (truncated or modified)", actual, recorded);
    }

    private static String crc32c(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return String.format(Locale.ROOT, "%08x", crc.getValue());
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
            byte[] bytes = Files.readAllBytes(file);
            problem = checksumProblem(bytes);
            if (problem == null) {
                T value = GSON.fromJson(Utf8Text.decode(bytes), type);
                problem = value == null ? "empty"
                        : value instanceof Checked checked ? checked.problem() : null;
                if (problem == null) {
                    return Optional.of(value);
                }
            }
        } catch (IOException | JsonParseException | IllegalStateException | IllegalArgumentException e) {
            problem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        whyNot.accept(file + ": cannot be read (" + problem + ")");
        return Optional.empty();
    }
}
