package dev.paddy.maven;

import dev.paddy.experiment.Experiment;
import dev.paddy.experiment.ExperimentException;
import dev.paddy.experiment.StageId;
import java.io.IOException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Averages the members' TTA probabilities (those of {@code ensemble.members}, all by default),
 * each weighted by its {@code weight:}, and prints each member's and the ensemble's test accuracy,
 * like a leaderboard, when {@code data.test_labels} gives the test labels. Skips when
 * {@code -Dpaddy.members} selects some members only.
 */
@Mojo(name = "ensemble", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class EnsembleMojo extends AbstractPaddyMojo {
    @Override
    protected String goal() {
        return StageId.ENSEMBLE.id();
    }

    @Override
    protected void run(Experiment experiment) throws ExperimentException, IOException {
        if (skippedForMemberSelection()) {
            return;
        }
        experiment.ensemble();
    }
}
