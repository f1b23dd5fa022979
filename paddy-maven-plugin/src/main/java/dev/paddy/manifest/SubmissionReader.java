package dev.paddy.manifest;

import dev.paddy.io.OutputLayout;
import dev.paddy.io.Printable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The manifest's {@code submission} section: the CSV's file name and label column, and the
 * competition (its slug, as in the competition's address) and message to upload it with.
 */
final class SubmissionReader {
    static final Set<String> KEYS = new LinkedHashSet<>(List.of("file", "label_column", "competition", "message"));

    /** Room for the "-<target>" that another target's CSV adds, within 255 bytes. */
    static final int MAX_FILE_NAME = 100;

    private SubmissionReader() {}

    static SubmissionSpec read(Section s) {
        s.rejectUnknownKeys(KEYS);
        Optional<String> labelColumn = Optional.ofNullable(s.string("label_column", null));
        String file = s.string("file", "submission.csv");
        if (file.contains("/") || file.contains("\\")) {
            s.problem("file", "a file name without folders is expected; it is written under the output folder");
        } else if (!file.matches("[A-Za-z0-9][A-Za-z0-9._-]*") || file.length() > MAX_FILE_NAME) {
            s.problem("file", "'" + Printable.of(file) + "' is not a plain file name; use letters, digits, '.', '_' and"
                    + " '-' (at most " + MAX_FILE_NAME + ", not starting with '.'), e.g. 'submission.csv'");
        } else if (OutputLayout.isOwnName(file)) {
            s.problem("file", "'" + file + "' is a name paddy uses for its own files in the output folder; choose"
                    + " another, e.g. 'submission.csv'");
        }
        Optional<String> competition = Optional.ofNullable(s.string("competition", null));
        if (competition.isPresent() && !competition.get().matches("[a-z0-9-]+")) {
            String slug = competition.get().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                    .replaceAll("^-+|-+$", "");
            s.problem("competition", "'" + competition.get() + "' is not a competition slug; use lowercase letters,"
                    + " digits and '-' as in the competition's address https://www.kaggle.com/competitions/<slug>"
                    + (slug.isEmpty() ? "" : " (did you mean '" + slug + "'?)"));
            competition = Optional.empty();
        }
        Optional<String> message = Optional.ofNullable(s.string("message", null));
        if (message.isPresent() && !s.has("competition")) {
            s.problem("message", "a message needs a competition to be sent to; add e.g."
                    + " 'competition: paddy-disease-classification' under submission");
        }
        return new SubmissionSpec(file, labelColumn, competition, message);
    }
}
