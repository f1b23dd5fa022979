package dev.paddy.experiment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a team shares TTA predictions: the experiment asks it for a member's predictions it lacks
 * locally before deciding to train. In the Maven plugin these are artifacts of the experiment's
 * project, resolved from its repositories; elsewhere there is none.
 */
public interface SharedPredictions {
    /** What is shared per member and TTA key: the predictions, and the training record that goes with them. */
    enum Kind {
        PREDICTIONS("probs"), TRAINING_RECORD("training.json");

        private final String extension;

        Kind(String extension) {
            this.extension = extension;
        }

        public String extension() {
            return extension;
        }
    }

    /**
     * The team's shared predictions could not be asked (offline, credentials refused, unreachable,
     * a damaged transfer), as opposed to not holding the member: thrown by {@link #fetch} when the
     * build was told to fail rather than compute the member here. The message names the source,
     * the reason and what to do.
     */
    final class NotAskedException extends IOException {
        public NotAskedException(String message) {
            super(message);
        }
    }

    /**
     * Copies the {@code kind} file of {@code member} for {@code key} to {@code target} if the team has it.
     *
     * @return where it came from (for the log), or empty when nobody has it (or, when the source
     *         could not be asked and that is not to fail the build, when it said so itself)
     * @throws NotAskedException when the source could not be asked and the build is to fail
     */
    Optional<String> fetch(String member, String key, Kind kind, Path target) throws IOException;

    SharedPredictions NONE = (member, key, kind, target) -> Optional.empty();
}
