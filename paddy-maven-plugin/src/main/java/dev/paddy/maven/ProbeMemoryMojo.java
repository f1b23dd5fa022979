package dev.paddy.maven;

import dev.paddy.experiment.Experiment;
import dev.paddy.experiment.ExperimentException;
import dev.paddy.experiment.StageId;
import java.io.IOException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Finds each {@code accum: auto} member's smallest gradient-accumulation factor whose measured peak
 * memory fits the manifest's {@code budget:} (less {@code budget_margin}), by training a few full
 * optimizer steps per factor in a child JVM of its own; writes {@code memory-plan.json} and prints
 * the trials. Does nothing when the manifest sets no budget.
 */
@Mojo(name = "probe-memory", defaultPhase = LifecyclePhase.PROCESS_RESOURCES, threadSafe = true)
public class ProbeMemoryMojo extends AbstractPaddyMojo {

    /** Probe again even where memory-plan.json already holds a plan for the member's current key. */
    @Parameter(property = "paddy.probe.force", defaultValue = "false")
    private boolean force;

    @Override
    protected String goal() {
        return StageId.PROBE_MEMORY.id();
    }

    @Override
    protected void run(Experiment experiment) throws ExperimentException, IOException {
        if (experiment.manifest().budget().isEmpty()) {
            getLog().info("paddy:probe-memory: no 'budget:' in the manifest, so no member has accum: auto; nothing to probe");
            return;
        }
        int probed = experiment.planMemory(selectedMembers(), force).ran().size();
        getLog().info("paddy:probe-memory: " + probed + " member(s) probed; plan in " + experiment.layout().memoryPlan());
    }
}
