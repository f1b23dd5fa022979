package dev.paddy.maven;

import dev.paddy.experiment.Experiment;
import dev.paddy.experiment.ExperimentException;
import dev.paddy.experiment.StageId;
import java.io.IOException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Trains every member whose configuration or data changed since it was last trained, and logs why
 * each one trains or is cached. A member whose TTA predictions for its configuration are at hand,
 * locally or in the project's repositories (a teammate's), is not trained; an interrupted one
 * resumes after its last finished epoch. Runs the memory probe first for an {@code accum: auto}
 * member without a plan, and the lr finder for an {@code lr: find} member without a curve.
 */
@Mojo(name = "train", defaultPhase = LifecyclePhase.COMPILE, threadSafe = true)
public class TrainMojo extends AbstractPaddyMojo {
    @Override
    protected String goal() {
        return StageId.TRAIN.id();
    }

    @Override
    protected void run(Experiment experiment) throws ExperimentException, IOException {
        getLog().info("paddy:train: " + experiment.train(selectedMembers()).summary("trained"));
    }
}
