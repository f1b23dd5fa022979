package dev.paddy.train;

import ai.djl.Device;
import dev.paddy.data.Augmentation;
import dev.paddy.data.BatchLoader;
import dev.paddy.data.ItemImages;
import dev.paddy.data.Split;
import dev.paddy.engine.PeakMeter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Trains one member in the {@link FitLoop}: its schedule's phases (one-cycle, or fine_tune's
 * frozen then unfrozen cycles), the epoch's seed for the engine, validation, a checkpoint of model
 * and optimizer at each epoch end and progress to a {@link TrainingListener}, each a hook.
 */
public final class MemberTrainer {
    private final int threads;
    private final Device device;

    public MemberTrainer(int threads, Device device) {
        this.threads = threads;
        this.device = device;
    }

    /**
     * @param peakMemoryBytes the peak over the baseline before the model was built, measured as
     *     the memory probe measures it ({@link PeakMeter})
     * @param validProbabilities the final model's softmax probabilities for each validation image,
     *     in the split's order
     */
    public record Result(List<EpochMetrics> epochs, double seconds, int trainImages, int validImages,
                         long peakMemoryBytes, String memoryMeasure, float[][] validProbabilities) {
        public double errorRate() {
            return epochs.isEmpty() ? Double.NaN : epochs.get(epochs.size() - 1).errorRate();
        }

        public double imagesPerSecond() {
            return epochs.stream().mapToDouble(EpochMetrics::imagesPerSecond).average().orElse(Double.NaN);
        }
    }

    /**
     * Trains {@code config} on the {@code split} of {@code items} and writes its parameters to
     * {@code modelFile}. A checkpoint is written at each epoch's end; when {@code checkpoints}
     * holds one of the same key (a build was killed), training resumes after its epoch and ends
     * exactly where an uninterrupted run would. The last checkpoint is left for the caller to
     * clear once it has recorded the result, so that a kill before that loses no epoch.
     *
     * @param labels {@code labels[t]}: each item's class in target {@code t} of {@code config.targets()}
     */
    public Result train(TrainingConfig config, ItemImages items, int[][] labels, Split split, Path modelFile,
                        Checkpoints checkpoints, TrainingListener listener) throws IOException {
        if (labels.length != config.targets().count()) {
            throw new IllegalArgumentException(labels.length + " label arrays for " + config.targets().count()
                    + " targets");
        }
        String name = config.name();
        int totalEpochs = config.totalEpochs();
        // A checkpoint of every epoch is one whose build was killed after its last epoch, before
        // the member's record was written: it resumes with no epoch left, to write the weights.
        Optional<Checkpoints.Saved> resume = checkpoints.latest(note -> listener.onNote(name, note),
                        warning -> listener.onWarning(name, warning))
                .filter(saved -> saved.epochsDone() <= totalEpochs);
        int done = resume.map(Checkpoints.Saved::epochsDone).orElse(0);
        List<EpochMetrics> history = new ArrayList<>(resume.map(Checkpoints.Saved::history).orElse(List.of()));
        double secondsBefore = resume.map(Checkpoints.Saved::seconds).orElse(0.0);
        long start = System.nanoTime();
        long seed = config.seed();
        List<int[]> validBatches = BatchLoader.groups(split.valid(), config.microBatchSize());
        items.makeResident(); // before the baseline: the peak is the training's own, as the probe measures it
        try (PeakMeter meter = PeakMeter.start(device);
             Learner learner = Learner.of(config.model()).classes(config.targets().classes()).inputSize(config.inputSize())
                     .optimizer(config.optimizer(), config.weightDecay()).seed(seed).device(device)
                     .weights(resume.map(Checkpoints.Saved::params).orElse(config.initialWeights())).build();
             BatchLoader trainLoader = new BatchLoader(items, labels, config.inputSize(),
                     Augmentation.fastaiDefaults(), config.normalization(), seed, threads, prefetch(config.accum()));
             BatchLoader validLoader = new BatchLoader(items, labels, config.inputSize(), null,
                     config.normalization(), seed, threads, 4)) {
            if (resume.isPresent()) {
                learner.loadOptimizer(resume.get().optimizer());
                listener.onNote(name, String.format(Locale.ROOT, "resuming after epoch %d of %d from %s"
                        + " (model, optimizer state, schedule position; data order and augmentation follow from the seed)",
                        done, totalEpochs, resume.get().params()));
            }
            int trainImages = split.train().length;
            FitHook reseed = new FitHook() {
                @Override
                public void beforeEpoch(int epoch) {
                    learner.reseed(seed, epoch);
                }
            };
            new FitLoop(learner, trainLoader,
                    epoch -> Windows.of(EpochSeed.shuffled(split.train(), seed, epoch), config.batchSize(),
                            config.microBatchSize()),
                    List.of(PhaseSchedule.of(learner, config, trainImages, done), reseed,
                            new Validation(learner, () -> validLoader.batches(validBatches, -1), config, history),
                            new Checkpointer(checkpoints, learner, history, secondsBefore),
                            new ProgressLog(listener, name, totalEpochs, done, trainImages, history)))
                    .run(done, totalEpochs);
            learner.save(modelFile); // the checkpoint stays until the caller has recorded the member (Checkpoints.clear)
            // The final model's probabilities on its validation split: the report's confusion matrix and top losses.
            float[][] valid = learner.predict(validLoader.batches(validBatches, -1), split.valid().length)[0];
            return new Result(List.copyOf(history), secondsBefore + (System.nanoTime() - start) / 1e9,
                    split.train().length, split.valid().length, meter.peakOverBaseline(), meter.what(), valid);
        }
    }

    /** Batches rendered ahead of the loop: two windows' worth, so a step never waits. */
    public static int prefetch(int accum) {
        return 2 * accum + 2;
    }
}
