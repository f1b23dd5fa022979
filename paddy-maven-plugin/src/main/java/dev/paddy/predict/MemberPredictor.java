package dev.paddy.predict;

import ai.djl.Device;
import dev.paddy.data.ItemImages;
import dev.paddy.data.Normalization;
import dev.paddy.model.ModelSource;
import dev.paddy.train.Learner;
import java.nio.file.Path;

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

    /** What identifies the member's model and its TTA: plain values, no manifest. */
    public record Request(ModelSource source, int classes, int inputSize, Normalization normalization, Path model,
                          long seed, int batchSize, int n, double beta) {}

    /** Probabilities [image][class] for every test item, in item order. */
    public float[][] predict(Request request, ItemImages items) {
        try (Learner learner = Learner.forInference(request.source(), request.classes(), request.inputSize(), device,
                request.model())) {
            return Tta.predict(learner, items, request.inputSize(), request.normalization(), request.n(), request.beta(), request.seed(),
                    request.batchSize(), threads);
        }
    }
}
