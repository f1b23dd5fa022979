package dev.paddy.data;

import dev.paddy.io.Printable;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Image ids that come from a CSV: data from elsewhere, so an id is a file name and nothing more.
 * One with a folder separator, {@code ..} or an absolute path is refused before anything is looked
 * up: nothing outside the data folders is ever read on a CSV's word.
 */
public final class ImageIds {
    private ImageIds() {}

    /** Why {@code id} is not a plain file name, or empty when it is one. */
    public static Optional<String> refusal(String id) {
        if (id.isEmpty()) {
            return Optional.of("the image id is empty; each row starts with the file name of its image");
        }
        boolean absolute = id.startsWith("/") || id.startsWith("\\") || id.matches("^[A-Za-z]:.*");
        if (absolute || id.contains("/") || id.contains("\\") || id.equals(".") || id.equals("..")) {
            return Optional.of("image id '" + id + "' is " + (absolute ? "an absolute path" : id.contains("..")
                    ? "a path that leaves its folder ('..')" : "a path, not a file name")
                    + "; ids name files inside the data folder, and paddy never reads a path a CSV gives");
        }
        if (Printable.hasControl(id)) {
            return Optional.of("image id '" + Printable.of(id) + "' holds a control character; ids are file names:"
                    + " remove it");
        }
        try {
            Path.of(id);
        } catch (InvalidPathException e) {
            return Optional.of("image id '" + id + "' is not a file name: " + e.getReason());
        }
        return Optional.empty();
    }

    /**
     * A CSV's image ids, row by row: a row's id is refused when it is not a plain file name
     * ({@link #refusal}) or when an earlier row had it.
     */
    public static final class Rows {
        private final Map<String, Integer> firstLine = new HashMap<>();
        private final String twiceAdvice;

        /** @param twiceAdvice what to do about an id on two rows (after "appears twice, first on line N; ") */
        public Rows(String twiceAdvice) {
            this.twiceAdvice = twiceAdvice;
        }

        /** Why {@code row}'s id (its first field) cannot be used, or empty when it can. */
        public Optional<String> problem(Csv.Row row) {
            String id = row.field(0);
            Optional<String> refused = refusal(id);
            Integer first = firstLine.putIfAbsent(id, row.line());
            if (refused.isPresent()) {
                return refused;
            }
            return first == null ? Optional.empty()
                    : Optional.of("image id '" + id + "' appears twice, first on line " + first + "; " + twiceAdvice);
        }
    }
}
