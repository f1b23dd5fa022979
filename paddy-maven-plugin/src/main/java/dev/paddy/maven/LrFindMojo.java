package dev.paddy.maven;

import dev.paddy.experiment.Experiment;
import dev.paddy.experiment.ExperimentException;
import dev.paddy.experiment.StageId;
import dev.paddy.experiment.StageReport;
import java.io.IOException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * fastai's {@code lr_find} for each member: the learning-rate range test from the weights its
 * training starts from, fastai's four suggestions (valley, slide, steep, minimum) printed as a
 * table, the curve in {@code lr-find/<member>.json} and its plot in {@code lr-find/<member>.png}.
 * A member with {@code lr: find} trains at the valley suggestion ({@code paddy:train} runs the
 * finder itself when the curve is missing). Cached by key like every stage. Bound, it runs at
 * {@code process-resources}, after {@code probe-memory} when listed after it (the range test steps
 * with the member's planned accumulation), before {@code train}.
 */
@Mojo(name = "lr-find", defaultPhase = LifecyclePhase.PROCESS_RESOURCES, threadSafe = true)
public class LrFindMojo extends AbstractPaddyMojo {

    /** Run the range test again even where a curve for the member's current configuration exists. */
    @Parameter(property = "paddy.lrFind.force", defaultValue = "false")
    private boolean force;

    @Override
    protected String goal() {
        return StageId.LR_FIND.id();
    }

    @Override
    protected void run(Experiment experiment) throws ExperimentException, IOException {
        StageReport report = experiment.lrFind(selectedMembers(), force);
        getLog().info("paddy:lr-find: " + report.summary("ran the lr finder") + "; curves and plots in "
                + experiment.layout().lrFindDir());
    }
}
