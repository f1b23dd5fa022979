package dev.paddy.maven;

import dev.paddy.experiment.Experiment;
import dev.paddy.experiment.ExperimentException;
import dev.paddy.experiment.StageId;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.project.MavenProjectHelper;

/**
 * Writes each member's trained model in DJL's model-zoo layout under
 * {@code target/paddy/members/<member>/model-zoo/<member>/} ({@code <member>.pt} as TorchScript,
 * {@code synset.txt}, {@code serving.properties}) and attaches its zip to the project with the
 * classifier {@code <member>-model} and type {@code zip}, so that {@code mvn deploy} publishes a
 * model plain DJL loads with {@code Criteria} and no paddy class. Trains nothing: a member without
 * trained weights for its current configuration fails, naming {@code paddy:train}. A zip written
 * for the same weights and settings is kept, not written again.
 */
@Mojo(name = "export", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class ExportMojo extends AbstractPaddyMojo {
    @Override
    protected String goal() {
        return StageId.EXPORT.id();
    }

    @Override
    protected void run(Experiment experiment) throws ExperimentException, IOException {
        Map<String, Path> zips = experiment.export(selectedMembers());
        getLog().info("paddy:export: " + zips.size() + " member(s) in DJL's model-zoo layout");
        if (project != null && projectHelper != null) {
            for (Map.Entry<String, Path> zip : zips.entrySet()) {
                projectHelper.attachArtifact(project, "zip", zip.getKey() + "-model", zip.getValue().toFile());
                getLog().info("attached " + zip.getKey() + "-model.zip");
            }
        }
    }

    @Component
    private MavenProjectHelper projectHelper;
}
