package dev.paddy.maven;

import dev.paddy.experiment.Experiment;
import dev.paddy.experiment.ExperimentException;
import dev.paddy.experiment.StageId;
import java.io.File;
import java.io.IOException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Classifies a folder of new images with the trained ensemble, on demand (bound to no phase):
 * {@code mvn paddy:predict -Dpaddy.images=<folder>}. Every image in the folder and its sub-folders
 * gets each ensemble member's item transform and test-time augmentation exactly as the test images
 * do in {@code paddy:tta}, and the members' probabilities are averaged with their {@code weight:},
 * as {@code paddy:ensemble} does. Writes a CSV of {@code image,label,probability}: the image's path
 * under the folder, the ensemble's most probable class and its probability. Trains nothing: a
 * member without trained weights on this machine fails the goal before any image is read, naming
 * the member. {@code -Dpaddy.members} classifies with those members only.
 */
@Mojo(name = "predict", threadSafe = true)
public class PredictMojo extends AbstractPaddyMojo {
    /** The folder of images to classify; its sub-folders are read too (relative to the project's folder). */
    @Parameter(property = "paddy.images")
    protected File images;

    /**
     * The CSV to write; by default {@code predict/<the folder's name>.csv} under the output folder
     * ({@code target/paddy/predict/test_images.csv} for {@code -Dpaddy.images=data/test_images}).
     */
    @Parameter(property = "paddy.predictions")
    protected File predictions;

    @Override
    protected String goal() {
        return StageId.PREDICT.id();
    }

    @Override
    protected void run(Experiment experiment) throws ExperimentException, IOException {
        if (images == null) {
            throw new ExperimentException("name the folder of images to classify: mvn paddy:predict"
                    + " -Dpaddy.images=<folder> [-Dpaddy.predictions=<file.csv>]");
        }
        experiment.predict(images.toPath(), predictions == null ? null : predictions.toPath(), selectedMembers());
    }
}
