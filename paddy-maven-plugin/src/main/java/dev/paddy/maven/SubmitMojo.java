package dev.paddy.maven;

import dev.paddy.experiment.Experiment;
import dev.paddy.experiment.ExperimentException;
import dev.paddy.experiment.StageId;
import java.io.IOException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Writes the submission CSV ({@code submission.file} under the output folder): the ensemble's most
 * probable class name for every test image, in the sample submission's order; and
 * {@code submission-<target>.csv} for each target after {@code label}. Skips when
 * {@code -Dpaddy.members} selects some members only.
 */
@Mojo(name = "submit", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class SubmitMojo extends AbstractPaddyMojo {
    @Override
    protected String goal() {
        return StageId.SUBMIT.id();
    }

    @Override
    protected void run(Experiment experiment) throws ExperimentException, IOException {
        if (skippedForMemberSelection()) {
            return;
        }
        experiment.submit();
    }
}
