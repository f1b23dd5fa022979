package dev.paddy.maven;

import dev.paddy.experiment.Experiment;
import dev.paddy.experiment.StageId;
import java.io.IOException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Writes {@code target/paddy/report/index.html}: one self-contained page with the run, each
 * member's curves, schedule, confusion matrix and top losses, memory, the ensemble and the skipped
 * images, from what the other goals recorded (it trains and predicts nothing), and prints its path.
 */
@Mojo(name = "report", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class ReportMojo extends AbstractPaddyMojo {
    @Override
    protected String goal() {
        return StageId.REPORT.id();
    }

    @Override
    protected void run(Experiment experiment) throws IOException {
        getLog().info("paddy:report: " + experiment.report().toAbsolutePath().toUri());
    }
}
