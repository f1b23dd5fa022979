package dev.paddy.train;

import ai.djl.Device;
import dev.paddy.data.Augmentation;
import dev.paddy.data.BatchLoader.Batch;
import dev.paddy.data.BatchLoader;
import dev.paddy.data.ItemImages;
import dev.paddy.data.Split;
import dev.paddy.engine.PeakMeter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * Trains one member: its schedule's phases (one-cycle, or fine_tune's frozen then unfrozen
 * cycles), every window stepped with gradient accumulation, validation and a checkpoint of model
 * and optimizer at each epoch end, progress to a {@link TrainingListener}.
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
     */
    public Result train(TrainingConfig config, ItemImages items, int[] labels, Split split, Path modelFile,
                        Checkpoints checkpoints, TrainingListener listener) throws IOException {
        return train(config, items, new int[][] {labels}, split, modelFile, checkpoints, listener);
    }

    /**
     * As above for a model of several targets: {@code labels[t]} are target {@code t}'s labels
     * (the first target's first, then those of {@code config.moreTargets()}).
     */
    public Result train(TrainingConfig config, ItemImages items, int[][] labels, Split split, Path modelFile,
                        Checkpoints checkpoints, TrainingListener listener) throws IOException {
        if (labels.length != 1 + config.moreTargets().size()) {
            throw new IllegalArgumentException(labels.length + " label arrays for " + (1 + config.moreTargets().size())
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
             Learner learner = new Learner(config.model(), config.targetClasses(), config.inputSize(),
                     config.optimizer(), config.weightDecay(), seed, device,
                     resume.map(Checkpoints.Saved::params).orElse(config.initialWeights()));
             BatchLoader trainLoader = BatchLoader.withTargets(items, labels, config.inputSize(),
                     Augmentation.fastaiDefaults(), config.normalization(), seed, threads, prefetch(config.accum()));
             BatchLoader validLoader = BatchLoader.withTargets(items, labels, config.inputSize(), null,
                     config.normalization(), seed, threads, 4)) {
            if (resume.isPresent()) {
                learner.loadOptimizer(resume.get().optimizer());
                listener.onNote(name, String.format(Locale.ROOT, "resuming after epoch %d of %d from %s"
                        + " (model, optimizer state, schedule position; data order and augmentation follow from the seed)",
                        done, totalEpochs, resume.get().params()));
            }
            int epoch = 0;
            for (TrainingConfig.Phase phase : config.phases()) {
                if (epoch + phase.epochs() <= done) {
                    epoch += phase.epochs();
                    continue;
                }
                if (config.schedule() == Schedule.FINE_TUNE) {
                    learner.freezeBody(phase.frozen());
                    if (epoch >= done) {
                        learner.optimizer().clearState(); // the phase starts here, not resumed inside it
                    }
                }
                int stepsPerEpoch = Windows.stepsPerEpoch(split.train().length, config.batchSize());
                GroupCycles cycles = config.cycles(phase, split.train().length);
                int step = 0;
                for (int e = 0; e < phase.epochs(); e++, epoch++) {
                    if (epoch < done) {
                        step += stepsPerEpoch;
                        continue;
                    }
                    long epochStart = System.nanoTime();
                    learner.reseed(seed, epoch);
                    Windows windows = Windows.of(shuffled(split.train(), seed, epoch), config.batchSize(),
                            config.microBatchSize());
                    Iterator<Batch> batches = trainLoader.batches(windows.microBatches(), epoch);
                    int currentEpoch = epoch;
                    long[] lastReport = {System.nanoTime()};
                    double lossSum = trainWindows(learner, batches, windows, cycles, step, seen -> {
                        if (System.nanoTime() - lastReport[0] > 20e9) {
                            lastReport[0] = System.nanoTime();
                            listener.onProgress(name, currentEpoch + 1, totalEpochs, seen, split.train().length,
                                    seen / ((lastReport[0] - epochStart) / 1e9));
                        }
                    });
                    int seen = split.train().length;
                    step += windows.windowSizes().size();
                    double trainSeconds = (System.nanoTime() - epochStart) / 1e9;
                    Learner.Evaluation valid = learner.evaluate(validLoader.batches(validBatches, -1));
                    double seconds = (System.nanoTime() - epochStart) / 1e9;
                    EpochMetrics metrics = new EpochMetrics(epoch + 1, phase.name(), lossSum / Math.max(1, seen),
                            valid.loss(), valid.errorRate(), seen / trainSeconds, seconds,
                            moreErrorRates(config, valid));
                    history.add(metrics);
                    double elapsed = (System.nanoTime() - start) / 1e9;
                    checkpoints.save(learner, epoch + 1, secondsBefore + elapsed, history);
                    double eta = elapsed / (epoch + 1 - done) * (totalEpochs - epoch - 1);
                    listener.onEpoch(new TrainingListener.EpochReport(name, epoch + 1, totalEpochs, metrics, eta));
                }
            }
            learner.save(modelFile); // the checkpoint stays until the caller has recorded the member (Checkpoints.clear)
            // The final model's probabilities on its validation split: the report's confusion matrix and top losses.
            float[][] valid = learner.predict(validLoader.batches(validBatches, -1), split.valid().length);
            return new Result(List.copyOf(history), secondsBefore + (System.nanoTime() - start) / 1e9,
                    split.train().length, split.valid().length, meter.peakOverBaseline(), meter.what(), valid);
        }
    }

    /**
     * The inner loop of an epoch: for each window, its micro-batches from the loader, the
     * schedule's learning rates and momentum for this step, one accumulated optimizer step.
     *
     * @return the sum of the windows' mean losses weighted by their sizes
     */
    public static double trainWindows(Learner learner, Iterator<Batch> batches, Windows windows, GroupCycles cycles,
                                      int firstStep, IntConsumer seenSoFar) {
        double lossSum = 0;
        int seen = 0;
        for (int w = 0; w < windows.windowSizes().size(); w++) {
            List<Batch> micro = new ArrayList<>();
            for (int m = 0; m < windows.microBatchesPerWindow().get(w); m++) {
                micro.add(batches.next());
            }
            learner.optimizer().set(cycles.lrs(firstStep + w), cycles.momentum(firstStep + w));
            int windowSize = windows.windowSizes().get(w);
            lossSum += learner.accumulateAndStep(micro, windowSize) * windowSize;
            seen += windowSize;
            seenSoFar.accept(seen);
        }
        return lossSum;
    }

    /** The error rates of the targets after the first by name, in order; null for a single target. */
    private static Map<String, Double> moreErrorRates(TrainingConfig config, Learner.Evaluation valid) {
        if (config.moreTargets().isEmpty()) {
            return null;
        }
        Map<String, Double> rates = new LinkedHashMap<>();
        for (int t = 0; t < config.moreTargets().size(); t++) {
            rates.put(config.moreTargets().get(t).name(), valid.moreErrorRates().get(t));
        }
        return rates;
    }

    /** Batches rendered ahead of the loop: two windows' worth, so a step never waits. */
    public static int prefetch(int accum) {
        return 2 * accum + 2;
    }

    static int[] shuffled(int[] indices, long seed, int epoch) {
        List<Integer> order = new ArrayList<>(Arrays.stream(indices).boxed().toList());
        Collections.shuffle(order, new Random(seed * 1_000_003L + epoch));
        return order.stream().mapToInt(Integer::intValue).toArray();
    }
}
