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
    /**
     * Copies the predictions of {@code member} for {@code key} to {@code target} if the team has them.
     *
     * @return where they came from (for the log), or empty when nobody has them
     */
    Optional<String> fetch(String member, String key, Path target) throws IOException;

    SharedPredictions NONE = (member, key, target) -> Optional.empty();
}
