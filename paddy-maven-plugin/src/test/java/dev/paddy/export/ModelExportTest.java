package dev.paddy.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import dev.paddy.Training;
import dev.paddy.data.BatchLoader.Batch;
import dev.paddy.data.ItemTransform;
import dev.paddy.data.Normalization;
import dev.paddy.model.ModelSource;
import dev.paddy.train.Learner;
import dev.paddy.train.OptimizerKind;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member trained for a few real steps, exported, and loaded back by plain DJL ({@code Criteria},
 * the PyTorch engine, no paddy class): its probabilities on the same input tensor are paddy's.
 * Covers a ResNet (BatchNorm, residual joins with ReLU, max pooling), a ConvNeXt (depthwise conv,
 * LayerNorm on channels-last, GELU) with two targets (the export keeps the first), and a user's
 * TorchScript body with fastai's head (the body embedded as a submodule).
 */
@Training
class ModelExportTest {
    static final int SIZE = 32;
    static final List<String> VOCABULARY = List.of("blast", "healthy", "tungro");

    @TempDir
    Path dir;

    @Test
    void aResNetLoadsInPlainDjlWithPaddysProbabilities() throws Exception {
        Path folder = exportAndCompare("resnet", ModelSource.builtIn("resnet18"), new int[] {3}, new double[] {1e-3, 1e-3, 1e-3});
        // The zip DJL's model zoo takes as a model URL: the same model
        Path zip = dir.resolve("resnet-model.zip");
        ModelExport.zip(folder, zip);
        System.setProperty("DJL_CACHE_DIR", dir.resolve("djl-cache").toString());
        Criteria<NDList, NDList> criteria = Criteria.builder().setTypes(NDList.class, NDList.class)
                .optModelUrls(zip.toUri().toString()).optModelName("resnet").optEngine("PyTorch")
                .optTranslator(new NoopTranslator()).build();
        try (ZooModel<NDList, NDList> model = criteria.loadModel();
             Predictor<NDList, NDList> predictor = model.newPredictor();
             NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            float[] pixels = batch(5).pixels();
            NDList out = predictor.predict(new NDList(manager.create(pixels, new Shape(8, 3, SIZE, SIZE))));
            assertEquals(8 * 3, out.singletonOrThrow().size());
        }
        // serving.properties alone makes it an image classifier with the vocabulary's names
        Criteria<Image, Classifications> images = Criteria.builder().setTypes(Image.class, Classifications.class)
                .optModelPath(folder).build();
        try (ZooModel<Image, Classifications> model = images.loadModel();
             Predictor<Image, Classifications> predictor = model.newPredictor()) {
            BufferedImage picture = new BufferedImage(48, 40, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 40; y++) {
                for (int x = 0; x < 48; x++) {
                    picture.setRGB(x, y, (x * 5) << 16 | (y * 6) << 8 | ((x + y) * 2));
                }
            }
            Classifications result = predictor.predict(ImageFactory.getInstance().fromImage(picture));
            assertEquals(3, result.items().size());
            assertTrue(VOCABULARY.containsAll(result.getClassNames()), result.getClassNames().toString());
            double sum = result.getProbabilities().stream().mapToDouble(Double::doubleValue).sum();
            assertEquals(1.0, sum, 1e-5);
        }
    }

    @Test
    void aConvNeXtWithTwoTargetsExportsTheFirstTargetsProbabilities() throws Exception {
        exportAndCompare("convnext", ModelSource.builtIn("convnext_atto"), new int[] {3, 2}, new double[] {1e-3, 1e-3, 1e-3});
    }

    @Test
    void aTorchScriptBodyWithFastaisHeadIsEmbedded() throws Exception {
        Path body = Path.of("src/test/resources/torchscript/spatial-body.pt").toAbsolutePath();
        exportAndCompare("tiny_body", ModelSource.torchScript(body, ModelSource.FASTAI_HEAD, "tiny"), new int[] {3},
                new double[] {1e-3, 1e-3});
    }

    /** Trains, saves, exports; asserts plain DJL's softmax equals paddy's prediction from the saved weights. */
    private Path exportAndCompare(String member, ModelSource source, int[] classes, double[] lrs) throws Exception {
        Path weights = dir.resolve(member + ".params");
        try (Learner learner = Learner.of(source).classes(classes).inputSize(SIZE).optimizer(OptimizerKind.ADAMW, 0.01)
                .seed(7).device(Device.cpu()).build()) {
            for (int step = 0; step < 3; step++) {
                learner.optimizer().set(lrs, 0.9);
                learner.accumulateAndStep(List.of(batch(step, classes)), 8);
            }
            learner.save(weights);
        }
        Path folder = ModelExport.write(new ModelExport.Request(member, source, classes, VOCABULARY, SIZE,
                ItemTransform.Resize.SQUISH, Normalization.IMAGENET, weights), dir.resolve("export").resolve(member));
        assertTrue(Files.isRegularFile(folder.resolve(member + ".pt")));
        assertEquals(String.join("\n", VOCABULARY) + "\n", Files.readString(folder.resolve("synset.txt")));

        Batch input = batch(99, classes);
        float[][] paddy;
        try (Learner learner = Learner.of(source).classes(classes).inputSize(SIZE).device(Device.cpu()).weights(weights)
                .build()) {
            paddy = learner.predict(List.of(input).iterator(), 8)[0];
        }
        // Plain DJL from here on: no dev.paddy class loads or runs the model
        Criteria<NDList, NDList> criteria = Criteria.builder().setTypes(NDList.class, NDList.class)
                .optModelPath(folder).optEngine("PyTorch").optTranslator(new NoopTranslator()).build();
        try (ZooModel<NDList, NDList> model = criteria.loadModel();
             Predictor<NDList, NDList> predictor = model.newPredictor();
             NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDList out = predictor.predict(new NDList(manager.create(input.pixels(), new Shape(8, 3, SIZE, SIZE))));
            float[] djl = out.singletonOrThrow().softmax(1).toFloatArray();
            assertEquals(8 * 3, djl.length);
            for (int i = 0; i < 8; i++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(paddy[i][c], djl[i * 3 + c], 1e-5, member + ": image " + i + ", class " + c);
                }
            }
        }
        return folder;
    }

    private static Batch batch(long seed) {
        return batch(seed, new int[] {3});
    }

    /** Eight normalised-looking random images with labels for each target, the same for the same seed. */
    private static Batch batch(long seed, int[] classes) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] pixels = new float[8 * 3 * SIZE * SIZE];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
        }
        int[][] labels = new int[classes.length][];
        for (int t = 0; t < classes.length; t++) {
            labels[t] = random.ints(8, 0, classes[t]).toArray();
        }
        return new Batch(pixels, labels, new int[8], 8, null);
    }
}
