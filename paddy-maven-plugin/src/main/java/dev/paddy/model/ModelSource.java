package dev.paddy.model;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import java.nio.file.Path;
import java.util.List;

/**
 * What a member's model is made of: one of paddy's architectures built in code ({@code arch}),
 * or a TorchScript feature extractor the user brings ({@code torchScript}, a file path) with a
 * fresh head of kind {@code head}. Either way the model is a {@link SequentialBlock} of two
 * children, body then head, split into parameter groups for discriminative learning rates.
 * Plain strings, so it crosses into the memory probe's JVM as JSON.
 *
 * @param arch a built-in architecture's name, or for a TorchScript body the label the member shows
 * @param torchScript the TorchScript body's file, or null for a built-in architecture
 * @param head the head appended to a TorchScript body: {@code fastai} or {@code linear}
 */
public record ModelSource(String arch, String torchScript, String head) {
    public static final String FASTAI_HEAD = "fastai";
    public static final String LINEAR_HEAD = "linear";

    public static ModelSource builtIn(String arch) {
        return new ModelSource(arch, null, null);
    }

    public static ModelSource torchScript(Path body, String head, String label) {
        return new ModelSource(label, body.toString(), head);
    }

    public boolean pretrainedBody() {
        return torchScript != null;
    }

    /** The number of parameter groups: 2 for a TorchScript body (body, head), 3 for the built-ins. */
    public int groupCount() {
        return pretrainedBody() ? 2 : Architectures.GROUPS;
    }

    /** What the log and the report call it. */
    public String describe() {
        return pretrainedBody() ? "TorchScript body " + torchScript + " + " + head + " head" : arch;
    }

    /**
     * Builds the model with {@code classes} outputs on the manager's device. A TorchScript body is
     * loaded from its file and probed once at {@code inputSize} (which also leaves it in inference
     * mode, so the first training forward switches BatchNorm to training).
     */
    public SequentialBlock build(int classes, NDManager manager, int inputSize) {
        if (!pretrainedBody()) {
            return Architectures.build(arch, classes);
        }
        return new SequentialBlock().add(TorchScriptBody.load(Path.of(torchScript), manager, inputSize))
                .add(Heads.build(head, classes));
    }

    /**
     * The same structure without the pretrained weights, to load a parameter file paddy wrote
     * (its body part is the whole fine-tuned TorchScript module).
     */
    public SequentialBlock structure(int classes, NDManager manager) {
        if (!pretrainedBody()) {
            return Architectures.build(arch, classes);
        }
        return new SequentialBlock().add(TorchScriptBody.empty(manager)).add(Heads.build(head, classes));
    }

    /** The model's parameters in groups, from the input side to the head: one learning rate each. */
    public List<List<Parameter>> groups(SequentialBlock model) {
        return pretrainedBody() ? ParameterGroups.bodyAndHead(model) : Architectures.groups(arch, model);
    }
}
