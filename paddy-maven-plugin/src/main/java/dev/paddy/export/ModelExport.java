package dev.paddy.export;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import dev.paddy.data.ItemTransform;
import dev.paddy.data.Normalization;
import dev.paddy.io.AtomicFiles;
import dev.paddy.model.ModelSource;
import dev.paddy.model.TorchScriptBody;
import dev.paddy.train.Learner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes one trained member in DJL's model-zoo layout, a folder that plain DJL loads with
 * {@code Criteria} and no paddy class: {@code <member>.pt} (the whole model as TorchScript, see
 * {@link ModelScript} and {@link TorchScriptArchive}), {@code synset.txt} (the first target's
 * vocabulary in class-index order) and {@code serving.properties} (the PyTorch engine, DJL's image
 * classification translator, the member's input size, resize and normalisation); and a zip of
 * that folder.
 *
 * <p>With several targets the exported model returns the first target's (the folder label's)
 * outputs only, so the translator's softmax over them is paddy's probability for that target.
 */
public final class ModelExport {
    /** The largest difference in a probability the export's own check tolerates (float32 ops, another order). */
    static final float TOLERANCE = 1e-5f;
    private static final LocalDateTime EPOCH = LocalDateTime.of(1980, 1, 1, 0, 0);

    /**
     * What identifies the member's model and how its items are prepared.
     *
     * @param classes each target's number of classes, the folder label's first
     * @param vocabulary the folder label's classes in index order
     * @param weights the member's trained parameter file (paddy's {@code model.params})
     */
    public record Request(String member, ModelSource source, int[] classes, List<String> vocabulary, int inputSize,
                          ItemTransform.Resize resize, Normalization normalization, Path weights) {
        public Request {
            classes = classes.clone();
            vocabulary = List.copyOf(vocabulary);
            if (vocabulary.size() != classes[0]) {
                throw new IllegalArgumentException("a vocabulary of " + vocabulary.size() + " classes for a model of "
                        + classes[0]);
            }
        }
    }

    private ModelExport() {}

    /** The TorchScript file's name in the folder: the one DJL looks for in a folder named after the member. */
    public static String modelFileName(String member) {
        return member + ".pt";
    }

    /**
     * Writes the folder {@code folder} (made or replaced file by file) for the member.
     *
     * @return the folder
     */
    public static Path write(Request request, Path folder) throws IOException {
        Files.createDirectories(folder);
        byte[] model = torchScript(request);
        AtomicFiles.write(folder.resolve(modelFileName(request.member())), out -> out.write(model));
        AtomicFiles.writeString(folder.resolve("synset.txt"), String.join("\n", request.vocabulary()) + "\n");
        AtomicFiles.writeString(folder.resolve("serving.properties"), servingProperties(request));
        return folder;
    }

    /** Zips {@code folder}'s files under a top folder of its name, with fixed times (the same files, the same bytes). */
    public static void zip(Path folder, Path zipFile) throws IOException {
        List<Path> files;
        try (var listing = Files.list(folder)) {
            files = listing.filter(Files::isRegularFile).sorted().toList();
        }
        String top = folder.getFileName().toString();
        AtomicFiles.write(zipFile, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            for (Path file : files) {
                ZipEntry entry = new ZipEntry(top + "/" + file.getFileName());
                entry.setTimeLocal(EPOCH);
                zip.putNextEntry(entry);
                Files.copy(file, zip);
                zip.closeEntry();
            }
            zip.finish();
        });
    }

    /** The member's model as a TorchScript archive. */
    static byte[] torchScript(Request request) throws IOException {
        ModelSource source = request.source();
        try (Learner learner = Learner.of(source).classes(request.classes()).inputSize(request.inputSize())
                .device(Device.cpu()).weights(request.weights()).build()) {
            SequentialBlock model = learner.block();
            long total = Arrays.stream(request.classes()).sum();
            TorchScriptArchive.Submodule body = null;
            String bodyClass = null;
            int bodyRank = 0;
            ModelScript.Join join = source.arch().startsWith("resnet") ? ModelScript.Join.RELU_OF_SUM : ModelScript.Join.SUM;
            if (source.pretrainedBody()) {
                Block first = model.getChildren().get(0).getValue();
                PtSymbolBlock module = (PtSymbolBlock) first;
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                JniUtils.writeModule(module, bytes, false);
                body = new TorchScriptArchive.Submodule(ModelScript.BODY, bytes.toByteArray());
                bodyClass = TorchScriptArchive.rootClass(body.archive());
                try (NDManager scope = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
                    bodyRank = TorchScriptBody.settle(module, scope, request.inputSize()).dimension();
                }
            }
            ModelScript.Script script = ModelScript.of(model, join, bodyClass, bodyRank, request.classes()[0], total);
            byte[] archive = TorchScriptArchive.toBytes(new TorchScriptArchive(request.member(), ModelScript.MODULE,
                    ModelScript.CLASS, script.source(), script.tensors(), body));
            check(request, model, archive);
            return archive;
        }
    }

    /**
     * Loads the archive back through DJL's PyTorch engine and runs it beside the block it came
     * from on a random batch: a file whose probabilities differ from paddy's by more than
     * {@link #TOLERANCE} is refused, not written.
     */
    private static void check(Request request, SequentialBlock model, byte[] archive) throws IOException {
        Path folder = Files.createTempDirectory("paddy-export-check");
        Path file = folder.resolve(modelFileName(request.member()));
        try (NDManager scope = NDManager.newBaseManager(Device.cpu(), "PyTorch");
             Model loaded = Model.newInstance(request.member(), Device.cpu(), "PyTorch")) {
            Files.write(file, archive);
            loaded.load(folder, request.member());
            scope.getEngine().setRandomSeed(1);
            NDArray x = scope.randomNormal(new Shape(2, 3, request.inputSize(), request.inputSize()));
            int classes = request.classes()[0];
            NDArray expected = model.forward(new ParameterStore(scope, false), new NDList(x), false).singletonOrThrow()
                    .get(new NDIndex(":, 0:{}", classes)).softmax(1);
            NDArray actual = loaded.getBlock().forward(new ParameterStore(scope, false), new NDList(x), false)
                    .singletonOrThrow().softmax(1);
            float difference = expected.sub(actual).abs().max().getFloat();
            if (!(difference <= TOLERANCE)) {
                throw new ExportException(request.member() + ": the exported TorchScript's probabilities differ from"
                        + " paddy's by " + difference + " on a random batch (more than " + TOLERANCE + "); not written");
            }
        } catch (MalformedModelException | EngineException e) {
            throw new ExportException(request.member() + ": PyTorch cannot load the TorchScript paddy wrote ("
                    + e.getMessage() + ")", e);
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(folder);
        }
    }

    /**
     * DJL's {@code ImageClassificationTranslatorFactory} options for the member's test-time item
     * transform: the square input size, the resize ({@code squish}: stretch, {@code crop}: short
     * side then centre crop, {@code pad}: padded to a square with black, then resized; DJL pads at the
     * right and bottom where paddy centres), the normalisation, softmax over the outputs.
     */
    static String servingProperties(Request request) {
        Normalization n = request.normalization();
        String resize = switch (request.resize()) {
            case SQUISH -> "resize=true\n";
            case CROP -> "resizeShort=true\ncenterCrop=true\n";
            case PAD -> "# paddy centres the image on its black square; DJL's pad puts it at the top left\n"
                    + "pad=true\nresize=true\n";
        };
        return "# Written by paddy for member " + request.member() + ": load with DJL's Criteria (engine PyTorch).\n"
                + "engine=PyTorch\n"
                + "translatorFactory=ai.djl.modality.cv.translator.ImageClassificationTranslatorFactory\n"
                + "width=" + request.inputSize() + "\n"
                + "height=" + request.inputSize() + "\n"
                + resize
                + String.format(Locale.ROOT, "normalize=%s,%s,%s,%s,%s,%s\n", n.mean().get(0), n.mean().get(1),
                n.mean().get(2), n.std().get(0), n.std().get(1), n.std().get(2))
                + "applySoftmax=true\n"
                + "synsetFileName=synset.txt\n";
    }
}
