package dev.paddy.maven;

import dev.paddy.experiment.Experiment;
import dev.paddy.experiment.ExperimentException;
import dev.paddy.experiment.StageId;
import java.io.IOException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/** Writes the submission CSV (argmax class names, in the sample submission's order). */
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
