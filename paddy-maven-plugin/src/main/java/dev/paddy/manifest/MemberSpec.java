package dev.paddy.manifest;

import dev.paddy.model.ModelSource;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One ensemble member: a model trained with its own settings and its own random split.
 * {@code model} is a built-in architecture or a TorchScript body with a fresh head;
 * {@code weights} is the file the manifest names: for a built-in architecture a parameter file
 * paddy wrote to start from, for a TorchScript body the body itself.
 * {@code accumAuto} says the accumulation factor comes from the memory plan; until the plan has
 * resolved it ({@link #withAccum}), {@code accum} is 1.
 */
public record MemberSpec(
        String name, ModelSource model, int accum, boolean accumAuto, double weight, TrainingSpec training,
        Optional<Path> weights) {

    /** The architecture's name, or the label of a TorchScript body. */
    public String arch() {
        return model.arch();
    }

    /** The parameter file to start from: only for a built-in architecture (a TorchScript body is the model). */
    public Optional<Path> initialWeights() {
        return model.pretrainedBody() ? Optional.empty() : weights;
    }

    /** This member with its accumulation factor resolved (by the memory plan). */
    public MemberSpec withAccum(int resolved) {
        return new MemberSpec(name, model, resolved, accumAuto, weight, training, weights);
    }

    /** This member with its learning rate resolved (by the lr finder). */
    public MemberSpec withLr(double resolved) {
        return new MemberSpec(name, model, accum, accumAuto, weight, training.withLr(resolved), weights);
    }

    /** Images per forward/backward pass: the effective batch divided by the accumulation factor. */
    public int microBatchSize() {
        return training.batchSize() / accum;
    }
}
