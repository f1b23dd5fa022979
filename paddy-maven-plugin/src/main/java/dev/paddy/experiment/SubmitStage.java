package dev.paddy.experiment;

import dev.paddy.data.PaddyData;
import dev.paddy.ensemble.Predictions;
import dev.paddy.io.Hashing;
import dev.paddy.submit.SubmissionWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Writes the submission CSV from the ensemble, in the sample submission's order and with its header. */
final class SubmitStage {
    private final StageContext context;

    SubmitStage(StageContext context) {
        this.context = context;
    }

    /** @param probabilities the ensemble's, one row per test image in the sample submission's order */
    Path run(float[][] probabilities) throws IOException {
        PaddyData data = context.data();
        Path file = context.layout().submission(context.manifest().submission().file());
        List<String> columns = data.submissionColumns();
        String labelColumn = context.manifest().submission().labelColumn()
                .orElse(columns.size() >= 2 ? columns.get(1) : "label");
        SubmissionWriter.write(file, columns.get(0), labelColumn, data.testIds(), probabilities, data.vocabulary());
        // Its hash: two builds (a rebuild after 'mvn clean', another runner) compare submissions by one line of the log.
        context.log().info("submission: " + file + " (" + data.testIds().size() + " rows, sha256 " + Hashing.sha256(file) + ")");
        return file;
    }

    /** The ensemble written by the last {@code paddy:ensemble}, if it is whole and for these test images. */
    Optional<float[][]> lastEnsemble() {
        try {
            return Predictions.read(context.layout().ensemble(), "ensemble")
                    .filter(p -> p.ids().equals(context.data().testIds())).map(Predictions::probabilities);
        } catch (Predictions.CorruptedException e) {
            context.log().warn(e.getMessage() + "; not used: the ensemble is computed again");
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // unreadable: the ensemble is recomputed
        }
    }
}
