package dev.paddy.model;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A feature extractor the user exported with TorchScript (timm with {@code num_classes=0},
 * torchvision with {@code fc = Identity()}), loaded as a trainable DJL block.
 *
 * <p>What DJL 0.32 does, and what this class does about it: {@code JniUtils.loadModule} with
 * {@code trainParam} loads outside inference mode, so the parameters can take gradients later
 * (loaded frozen, they sit under a no-grad guard); the module is loaded in {@code eval()} while
 * {@link PtSymbolBlock} starts out believing it is in training mode and only switches when the
 * {@code training} flag changes. So every body gets one forward in inference mode right after it
 * is loaded ({@link #settle}): that pass also tells the output's shape, and the next training
 * forward really puts BatchNorm into training mode.
 */
public final class TorchScriptBody {
    /** The lines that export a body, shown with every error about one. */
    public static final String EXPORT_LINES = String.join("\n",
            "Export a feature extractor (N x 3 x H x W in, N x F or N x F x h x w out) on your machine, e.g.:",
            "  import timm, torch",
            "  body = timm.create_model('convnext_small_in22k', pretrained=True, num_classes=0).eval()",
            "  torch.jit.script(body).save('convnext_small_in22k.pt')",
            "or with torchvision:",
            "  import torch, torchvision",
            "  body = torchvision.models.resnet18(weights='IMAGENET1K_V1'); body.fc = torch.nn.Identity()",
            "  torch.jit.script(body.eval()).save('resnet18.pt')");

    private TorchScriptBody() {}

    /**
     * Loads {@code file} on the manager's device with trainable parameters and checks that it maps
     * a {@code 1 x 3 x inputSize x inputSize} batch to a feature vector or map.
     *
     * @throws BodyFileException when the file is not TorchScript or its output is not features
     */
    public static PtSymbolBlock load(Path file, NDManager manager, int inputSize) {
        checkIsTorchScript(file);
        PtSymbolBlock block;
        try {
            block = JniUtils.loadModule((PtNDManager) manager, file.toAbsolutePath(), true, new String[0], new String[0], true);
        } catch (EngineException e) {
            throw new BodyFileException(file + ": PyTorch cannot load it as TorchScript (" + firstLine(e) + ").\n"
                    + EXPORT_LINES, e);
        }
        block.freezeParameters(false); // trainable; fine_tune freezes what it needs
        Shape features = settle(block, manager, inputSize);
        if (features.dimension() != 2 && features.dimension() != 4) {
            block.close();
            throw new BodyFileException(file + ": its output for a 1 x 3 x " + inputSize + " x " + inputSize
                    + " batch has shape " + features + ", neither features (N x F) nor a feature map (N x F x h x w):"
                    + " export the model without its classifier.\n" + EXPORT_LINES);
        }
        return block;
    }

    /** A body without a module yet, for loading a parameter file paddy wrote (the whole fine-tuned module). */
    public static PtSymbolBlock empty(NDManager manager) {
        return new PtSymbolBlock((PtNDManager) manager);
    }

    /**
     * One forward in inference mode: synchronises the block's idea of its mode with the module's,
     * so the next training forward switches the module into training mode.
     *
     * @return the output's shape for one {@code inputSize} image
     */
    public static Shape settle(Block body, NDManager manager, int inputSize) {
        try (NDManager scope = manager.newSubManager()) {
            NDList out = body.forward(new ParameterStore(scope, false),
                    new NDList(scope.zeros(new Shape(1, 3, inputSize, inputSize))), false);
            if (out.size() != 1) {
                throw new BodyFileException("the TorchScript body returns " + out.size() + " outputs, paddy needs one"
                        + " feature tensor.\n" + EXPORT_LINES);
            }
            return out.singletonOrThrow().getShape();
        } catch (EngineException e) {
            throw new BodyFileException("the TorchScript body fails on a 1 x 3 x " + inputSize + " x " + inputSize
                    + " batch (" + firstLine(e) + ").\n" + EXPORT_LINES, e);
        }
    }

    /**
     * Whether {@code file} is a zip archive, as every file {@code torch.jit.save} writes is (and
     * paddy's own parameter files are not): the cheap test that tells a body from paddy's weights.
     */
    public static boolean isZipArchive(Path file) {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * TorchScript files are zip archives with {@code constants.pkl} and {@code code/}; a
     * {@code torch.save(model.state_dict())} file is a zip without them, the most likely mix-up.
     */
    static void checkIsTorchScript(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BodyFileException(file.toAbsolutePath() + ": no such file");
        }
        boolean constants = false;
        boolean pickle = false;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
                String name = entries.nextElement().getName();
                constants |= name.endsWith("/constants.pkl");
                pickle |= name.endsWith("/data.pkl");
            }
        } catch (IOException e) {
            throw new BodyFileException(file + ": not a TorchScript file (not a PyTorch zip archive at all).\n"
                    + EXPORT_LINES, e);
        }
        if (!constants) {
            throw new BodyFileException(file + (pickle
                    ? ": a PyTorch checkpoint written by torch.save (weights without code), not TorchScript."
                    : ": not a TorchScript file (a zip archive without TorchScript's constants.pkl).") + "\n"
                    + EXPORT_LINES);
        }
    }

    private static String firstLine(Exception e) {
        String message = String.valueOf(e.getMessage()).strip();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
