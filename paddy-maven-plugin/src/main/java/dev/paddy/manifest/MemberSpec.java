package dev.paddy.manifest;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One ensemble member: an architecture trained with its own settings and its own random split.
 * {@code weights} optionally points at a local parameter file to start from (fine-tuning).
 */
public record MemberSpec(
        String name, String arch, int accum, double weight, TrainingSpec training, Optional<Path> weights) {

    /** Images per forward/backward pass: the effective batch divided by the accumulation factor. */
    public int microBatchSize() {
        return training.batchSize() / accum;
    }
}
