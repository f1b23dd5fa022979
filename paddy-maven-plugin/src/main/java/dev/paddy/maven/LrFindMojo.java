package dev.paddy.maven;

import dev.paddy.experiment.Experiment;
import dev.paddy.experiment.ExperimentException;
import dev.paddy.experiment.StageId;
import dev.paddy.experiment.StageReport;
import java.io.IOException;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * fastai's {@code lr_find}: the learning-rate range test from the weights a member's training
 * starts from, fastai's four suggestions (valley, slide, steep, minimum) printed as a table, the
 * curve in {@code lr-find/<member>.json} and its plot in {@code lr-find/<member>.png}. A member
 * with {@code lr: find} trains at the valley suggestion ({@code paddy:train} runs the finder
 * itself when the curve is missing). Cached by key like every stage.
 *
 * <p>Bound in a build (at {@code process-resources}, after {@code probe-memory}: the range test
 * steps with the member's planned accumulation), it runs for the members with {@code lr: find}
 * only: a member with a fixed lr would spend the test for nothing. Run by hand ({@code mvn
 * paddy:lr-find}, or with {@code -Dpaddy.lrFind.all}), it runs for every selected member, to
 * choose an lr.
 */
@Mojo(name = "lr-find", defaultPhase = LifecyclePhase.PROCESS_RESOURCES, threadSafe = true)
public class LrFindMojo extends AbstractPaddyMojo {
    /** Maven's id of an execution from the command line ({@code mvn paddy:lr-find}). */
    static final String BY_HAND = "default-cli";

    /** Run the range test again even where a curve for the member's current configuration exists. */
    @Parameter(property = "paddy.lrFind.force", defaultValue = "false")
    private boolean force;

    /** Run it for every member in a build too, not only for those with {@code lr: find}. */
    @Parameter(property = "paddy.lrFind.all", defaultValue = "false")
    private boolean all;

    @Parameter(defaultValue = "${mojoExecution}", readonly = true)
    private MojoExecution execution;

    @Override
    protected String goal() {
        return StageId.LR_FIND.id();
    }

    @Override
    protected void run(Experiment experiment) throws ExperimentException, IOException {
        boolean everyMember = all || execution == null || BY_HAND.equals(execution.getExecutionId());
        StageReport report = experiment.lrFind(selectedMembers(), force, !everyMember);
        getLog().info("paddy:lr-find: " + report.summary("ran the lr finder")
                + (everyMember ? "" : " (members with lr: find; 'mvn paddy:lr-find' runs it for every member)")
                + "; curves and plots in " + experiment.layout().lrFindDir());
    }
}
