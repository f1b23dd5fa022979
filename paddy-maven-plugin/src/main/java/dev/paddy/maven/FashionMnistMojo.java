package dev.paddy.maven;

import dev.paddy.data.FashionMnist;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Converts Fashion-MNIST (Debian's {@code dataset-fashion-mnist}) into the Paddy layout, for
 * experiments larger than the example's embedded subset.
 */
@Mojo(name = "fashion-mnist", threadSafe = true, requiresProject = false)
public class FashionMnistMojo extends AbstractMojo {
    /** The folder holding the four IDX .gz files. */
    @Parameter(property = "paddy.idx", defaultValue = "/usr/share/datasets/fashion-mnist")
    private File idx;

    /** Where to write train_images/, test_images/ and the CSVs. */
    @Parameter(property = "paddy.dataDir", defaultValue = "data")
    private File dataDir;

    /** Training images per class (at most 6000). */
    @Parameter(property = "paddy.trainPerClass", defaultValue = "300")
    private int trainPerClass;

    /** Test images (at most 10000). */
    @Parameter(property = "paddy.testImages", defaultValue = "1000")
    private int testImages;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (!Files.isRegularFile(idx.toPath().resolve("train-images-idx3-ubyte.gz"))) {
            throw new MojoFailureException(idx + " has no Fashion-MNIST IDX files; install them with"
                    + " 'apt-get install dataset-fashion-mnist' or set -Dpaddy.idx=<folder>");
        }
        try {
            FashionMnist.convert(idx.toPath(), dataDir.toPath(), trainPerClass, testImages);
            getLog().info("wrote " + trainPerClass + " training images per class and " + testImages
                    + " test images to " + dataDir);
        } catch (IOException e) {
            throw new MojoExecutionException("cannot convert Fashion-MNIST: " + e.getMessage(), e);
        }
    }
}
