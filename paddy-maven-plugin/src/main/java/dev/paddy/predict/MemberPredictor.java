package dev.paddy.predict;

import ai.djl.Device;
import dev.paddy.data.ItemImages;
import dev.paddy.data.Normalization;
import dev.paddy.model.ModelSource;
import dev.paddy.train.Learner;
import java.nio.file.Path;
import java.util.function.IntConsumer;

/**
 * Predicts images for one trained member, beside {@code MemberTrainer}: loads its parameters into
 * a fresh model and runs {@link Tta} over the items (the test set's, or a folder's).
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
     * @param classes each target's number of classes, the folder label's first
     */
    public record Request(ModelSource source, int[] classes, int inputSize, Normalization normalization, Path model,
                          long seed, int batchSize, int n, double beta) {}

    /**
     * Every target's probabilities [target][image][class], the folder label's first;
     * {@code passDone} hears the passes done after each ({@link Tta#predict}).
     */
    public float[][][] predict(Request request, ItemImages items, IntConsumer passDone) {
        try (Learner learner = Learner.of(request.source()).classes(request.classes())
                .inputSize(request.inputSize()).device(device).weights(request.model()).build()) {
            return Tta.predict(learner, items, request.inputSize(), request.normalization(), request.n(),
                    request.beta(), request.seed(), request.batchSize(), threads, passDone);
        }
    }
}
