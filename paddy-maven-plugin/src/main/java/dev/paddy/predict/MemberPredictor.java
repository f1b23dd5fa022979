package dev.paddy.predict;

import ai.djl.Device;
import dev.paddy.data.ItemImages;
import dev.paddy.data.Normalization;
import dev.paddy.model.ModelSource;
import dev.paddy.train.Learner;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Predicts the test set for one trained member, beside {@code MemberTrainer}: loads its
 * parameters into a fresh model and runs {@link Tta} over the test items.
 */
public final class MemberPredictor {
    private final int threads;
    private final Device device;

    public MemberPredictor(int threads, Device device) {
        this.threads = threads;
        this.device = device;
    }

    /**
     * What identifies the member's model and its TTA: plain values, no manifest.
     *
     * @param classes the first target's classes
     * @param moreClasses the classes of the targets after the first, in order (empty for one target)
     */
    public record Request(ModelSource source, int classes, int inputSize, Normalization normalization, Path model,
                          long seed, int batchSize, int n, double beta, List<Integer> moreClasses) {
        public Request {
            moreClasses = List.copyOf(moreClasses);
        }

        /** A model of the folder label alone. */
        public Request(ModelSource source, int classes, int inputSize, Normalization normalization, Path model,
                       long seed, int batchSize, int n, double beta) {
            this(source, classes, inputSize, normalization, model, seed, batchSize, n, beta, List.of());
        }

        int[] targetClasses() {
            return IntStream.concat(IntStream.of(classes), moreClasses.stream().mapToInt(Integer::intValue)).toArray();
        }
    }

    /** The first target's probabilities [image][class] for every test item, in item order. */
    public float[][] predict(Request request, ItemImages items) {
        return predictTargets(request, items)[0];
    }

    /** Every target's probabilities [target][image][class], the first target's first. */
    public float[][][] predictTargets(Request request, ItemImages items) {
        try (Learner learner = Learner.forInference(request.source(), request.targetClasses(), request.inputSize(), device,
                request.model())) {
            return Tta.predictTargets(learner, items, request.inputSize(), request.normalization(), request.n(),
                    request.beta(), request.seed(), request.batchSize(), threads);
        }
    }
}
