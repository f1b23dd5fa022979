package dev.paddy.maven;

import dev.paddy.experiment.Experiment;
import dev.paddy.experiment.ExperimentException;
import java.io.IOException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/** Predicts the test set with test-time augmentation for every member whose predictions are not cached. */
@Mojo(name = "tta", defaultPhase = LifecyclePhase.PREPARE_PACKAGE, threadSafe = true)
public class TtaMojo extends AbstractPaddyMojo {
    @Override
    protected String goal() {
        return "tta";
    }

    @Override
    protected void run(Experiment experiment) throws ExperimentException, IOException {
        int computed = experiment.tta(selectedMembers());
        getLog().info("paddy:tta: " + computed + " member(s) predicted, "
                + (experiment.members(selectedMembers()).size() - computed) + " cached");
    }
}
