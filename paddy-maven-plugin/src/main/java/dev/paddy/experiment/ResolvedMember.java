package dev.paddy.experiment;

import dev.paddy.manifest.MemberSpec;
import dev.paddy.manifest.TrainingSpec;
import dev.paddy.model.ModelSource;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A member with everything the manifest may leave to earlier stages known: its accumulation
 * factor (from the memory plan for {@code accum: auto}), its learning rate (from the lr finder for
 * {@code lr: find}), and so its cache keys. The only form of a member that the training, TTA,
 * ensemble and submission stages take; made by {@link MemberResolver} alone.
 *
 * @param spec the member's spec with its resolved accumulation factor and learning rate in place
 */
record ResolvedMember(MemberSpec spec, Keys.MemberKeys keys) {

    String name() {
        return spec.name();
    }

    int accum() {
        return spec.accum();
    }

    /** The peak learning rate it trains at: the manifest's, or the lr finder's valley. */
    double lr() {
        return spec.training().lr();
    }

    TrainingSpec training() {
        return spec.training();
    }

    ModelSource model() {
        return spec.model();
    }

    String arch() {
        return spec.arch();
    }

    double weight() {
        return spec.weight();
    }

    int microBatchSize() {
        return spec.microBatchSize();
    }

    long seed() {
        return keys.seed();
    }

    Optional<Path> initialWeights() {
        return spec.initialWeights();
    }
}
