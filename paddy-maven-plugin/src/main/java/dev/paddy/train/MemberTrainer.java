package dev.paddy.train;

import ai.djl.Device;
import dev.paddy.data.Augmentation;
import dev.paddy.data.BatchLoader;
import dev.paddy.data.BatchLoader.Batch;
import dev.paddy.data.ItemImages;
import dev.paddy.data.Split;
import dev.paddy.manifest.MemberSpec;
import dev.paddy.manifest.TrainingSpec;
import dev.paddy.manifest.TrainingSpec.Schedule;
import dev.paddy.memory.PeakMeter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

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

    /** One phase of a schedule: epochs at a one-cycle policy, with the body frozen or not. */
    record Phase(String name, int epochs, double lr, double pctStart, double div, boolean frozen) {}

    public record EpochMetrics(int epoch, String phase, double trainLoss, double validLoss, double errorRate,
                               double imagesPerSecond, double seconds) {}

    /**
     * @param peakMemoryBytes the peak over the baseline before the model was built, measured as
     *     the memory probe measures it ({@link PeakMeter})
     */
    public record Result(List<EpochMetrics> epochs, double seconds, int trainImages, int validImages,
                         long peakMemoryBytes, String memoryMeasure) {
        public double errorRate() {
            return epochs.isEmpty() ? Double.NaN : epochs.get(epochs.size() - 1).errorRate();
        }

        public double imagesPerSecond() {
            return epochs.stream().mapToDouble(EpochMetrics::imagesPerSecond).average().orElse(Double.NaN);
        }
    }

    static List<Phase> phases(TrainingSpec spec) {
        if (spec.schedule() == Schedule.FINE_TUNE) {
            List<Phase> phases = new ArrayList<>();
            if (spec.freezeEpochs() > 0) {
                phases.add(new Phase("frozen", spec.freezeEpochs(), spec.lr(), 0.99, 25, true));
            }
            phases.add(new Phase("unfrozen", spec.epochs(), spec.lr() / 2, 0.3, 5, false));
            return phases;
        }
        return List.of(new Phase("one_cycle", spec.epochs(), spec.lr(), 0.25, 25, false));
    }

    /**
     * Trains {@code member} on the {@code split} of {@code items} and writes {@code model.params}
     * to {@code outDir}, with per-epoch checkpoints under {@code outDir/checkpoint}.
     *
     * @param initialWeights parameters to start from (fine-tuning), or null
     */
    public Result train(MemberSpec member, int classes, ItemImages items, int[] labels, Split split, long seed,
                        Path initialWeights, Path outDir, TrainingListener listener) throws IOException {
        TrainingSpec spec = member.training();
        Files.createDirectories(outDir.resolve("checkpoint"));
        List<Phase> phases = phases(spec);
        int totalEpochs = phases.stream().mapToInt(Phase::epochs).sum();
        List<EpochMetrics> history = new ArrayList<>();
        long start = System.nanoTime();
        Augmentation augmentation = Augmentation.fastaiDefaults();
        List<int[]> validBatches = chunks(split.valid(), member.microBatchSize());
        try (PeakMeter meter = PeakMeter.start(device);
             Learner learner = new Learner(member.arch(), classes, spec.inputSize(), spec.optimizer(),
                spec.weightDecay(), seed, device, initialWeights);
             BatchLoader trainLoader = new BatchLoader(items, labels, spec.inputSize(), augmentation, seed, threads,
                     prefetch(member.accum()));
             BatchLoader validLoader = new BatchLoader(items, labels, spec.inputSize(), null, seed, threads, 4)) {
            int epoch = 0;
            for (Phase phase : phases) {
                if (spec.schedule() == Schedule.FINE_TUNE) {
                    learner.freezeBody(phase.frozen());
                }
                int stepsPerEpoch = Windows.stepsPerEpoch(split.train().length, spec.batchSize());
                OneCycle cycle = OneCycle.fastai(phase.lr(), stepsPerEpoch * phase.epochs())
                        .withPctStart(phase.pctStart()).withDiv(phase.div());
                int step = 0;
                for (int e = 0; e < phase.epochs(); e++, epoch++) {
                    long epochStart = System.nanoTime();
                    Windows windows = Windows.of(shuffled(split.train(), seed, epoch), spec.batchSize(), member.microBatchSize());
                    Iterator<Batch> batches = trainLoader.batches(windows.microBatches(), epoch);
                    int currentEpoch = epoch;
                    long[] lastReport = {System.nanoTime()};
                    double lossSum = trainWindows(learner, batches, windows, cycle, step, seen -> {
                        if (System.nanoTime() - lastReport[0] > 20e9) {
                            lastReport[0] = System.nanoTime();
                            listener.onProgress(member.name(), currentEpoch + 1, totalEpochs, seen, split.train().length,
                                    seen / ((lastReport[0] - epochStart) / 1e9));
                        }
                    });
                    int seen = split.train().length;
                    step += windows.windowSizes().size();
                    double trainSeconds = (System.nanoTime() - epochStart) / 1e9;
                    Learner.Evaluation valid = learner.evaluate(validLoader.batches(validBatches, -1));
                    double seconds = (System.nanoTime() - epochStart) / 1e9;
                    EpochMetrics metrics = new EpochMetrics(epoch + 1, phase.name(), lossSum / Math.max(1, seen),
                            valid.loss(), valid.errorRate(), seen / trainSeconds, seconds);
                    history.add(metrics);
                    checkpoint(learner, outDir.resolve("checkpoint"), epoch + 1);
                    double elapsed = (System.nanoTime() - start) / 1e9;
                    double eta = elapsed / (epoch + 1) * (totalEpochs - epoch - 1);
                    listener.onEpoch(new TrainingListener.EpochReport(member.name(), epoch + 1, totalEpochs, phase.name(),
                            metrics.trainLoss(), metrics.validLoss(), metrics.errorRate(), metrics.imagesPerSecond(),
                            seconds, eta));
                }
            }
            learner.save(outDir.resolve("model.params"));
            return new Result(List.copyOf(history), (System.nanoTime() - start) / 1e9, split.train().length,
                    split.valid().length, meter.peakOverBaseline(), meter.what());
        }
    }

    /** Keeps the newest epoch's model and optimizer; the previous one is deleted only after the new one is written. */
    public static void checkpoint(Learner learner, Path dir, int epoch) throws IOException {
        learner.save(dir.resolve("epoch-" + epoch + ".params"));
        learner.saveOptimizer(dir.resolve("epoch-" + epoch + ".optimizer"));
        Files.deleteIfExists(dir.resolve("epoch-" + (epoch - 1) + ".params"));
        Files.deleteIfExists(dir.resolve("epoch-" + (epoch - 1) + ".optimizer"));
        // DJL serialises each tensor through a heap copy: a checkpoint leaves the size of the model
        // and its optimizer state as garbage, which a large heap would otherwise keep growing into
        // epoch after epoch. Collect it now (~0.1 s an epoch) so memory stays at what the probe measures.
        System.gc();
    }

    /**
     * The inner loop of an epoch: for each window, its micro-batches from the loader, the
     * schedule's lr and momentum for this step, one accumulated optimizer step.
     *
     * @return the sum of the windows' mean losses weighted by their sizes
     */
    public static double trainWindows(Learner learner, Iterator<Batch> batches, Windows windows, OneCycle cycle,
                                      int firstStep, java.util.function.IntConsumer seenSoFar) {
        double lossSum = 0;
        int seen = 0;
        for (int w = 0; w < windows.windowSizes().size(); w++) {
            List<Batch> micro = new ArrayList<>();
            for (int m = 0; m < windows.microBatchesPerWindow().get(w); m++) {
                micro.add(batches.next());
            }
            learner.optimizer().set(cycle.lr(firstStep + w), cycle.momentum(firstStep + w));
            int windowSize = windows.windowSizes().get(w);
            lossSum += learner.accumulateAndStep(micro, windowSize) * windowSize;
            seen += windowSize;
            seenSoFar.accept(seen);
        }
        return lossSum;
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

    public static List<int[]> chunks(int[] indices, int size) {
        List<int[]> chunks = new ArrayList<>();
        for (int i = 0; i < indices.length; i += size) {
            chunks.add(Arrays.copyOfRange(indices, i, Math.min(indices.length, i + size)));
        }
        return chunks;
    }
}
