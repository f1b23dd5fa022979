package dev.paddy.manifest;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One ensemble member: an architecture trained with its own settings and its own random split.
 * {@code weights} optionally points at a local parameter file to start from (fine-tuning).
 * {@code accumAuto} says the accumulation factor comes from the memory plan; until the plan has
 * resolved it ({@link #withAccum}), {@code accum} is 1.
 */
public record MemberSpec(
        String name, String arch, int accum, boolean accumAuto, double weight, TrainingSpec training,
        Optional<Path> weights) {

    /** This member with its accumulation factor resolved (by the memory plan). */
    public MemberSpec withAccum(int resolved) {
        return new MemberSpec(name, arch, resolved, accumAuto, weight, training, weights);
    }

    /** Images per forward/backward pass: the effective batch divided by the accumulation factor. */
    public int microBatchSize() {
        return training.batchSize() / accum;
    }
}
