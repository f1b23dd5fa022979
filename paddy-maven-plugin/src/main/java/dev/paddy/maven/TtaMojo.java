package dev.paddy.maven;

import dev.paddy.experiment.Experiment;
import dev.paddy.experiment.ExperimentException;
import dev.paddy.experiment.PredictionsArtifact;
import dev.paddy.experiment.SharedPredictions.Kind;
import dev.paddy.experiment.StageId;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.project.MavenProjectHelper;

/**
 * Predicts the test set with test-time augmentation ({@code tta.n} augmented passes and a plain one
 * weighted by {@code tta.beta}) for every member whose predictions are not cached, and attaches each
 * member's predictions and training record to the project, so that {@code mvn deploy} publishes
 * them to the team's repository for its other builds.
 */
@Mojo(name = "tta", defaultPhase = LifecyclePhase.PREPARE_PACKAGE, threadSafe = true)
public class TtaMojo extends AbstractPaddyMojo {
    @Override
    protected String goal() {
        return StageId.TTA.id();
    }

    @Override
    protected void run(Experiment experiment) throws ExperimentException, IOException {
        getLog().info("paddy:tta: " + experiment.tta(selectedMembers()).summary("predicted"));
        if (project != null && projectHelper != null) {
            // Attached, so that 'mvn deploy' publishes them for the team's other builds.
            for (PredictionsArtifact artifact : experiment.predictionsArtifacts(selectedMembers())) {
                attach(artifact, Kind.PREDICTIONS, artifact.file());
                if (artifact.trainingRecord() != null) {
                    attach(artifact, Kind.TRAINING_RECORD, artifact.trainingRecord());
                }
            }
        }
    }

    private void attach(PredictionsArtifact artifact, Kind kind, Path file) {
        var coordinates = RepositoryPredictions.artifact(project, artifact.member(), artifact.key(), kind);
        projectHelper.attachArtifact(project, coordinates.getExtension(), coordinates.getClassifier(), file.toFile());
        getLog().info("attached " + coordinates);
    }

    @Component
    private MavenProjectHelper projectHelper;
}
