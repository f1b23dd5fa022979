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
import java.util.Locale;
import java.util.Optional;
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
     * to {@code outDir}. A checkpoint is written under {@code outDir/checkpoint} at each epoch's
     * end; when one of the same {@code key} is there (a build was killed), training resumes after
     * its epoch and ends exactly where an uninterrupted run would.
     *
     * @param initialWeights parameters to start from (fine-tuning), or null
     * @param key the training key: what the checkpoints must belong to
     */
    public Result train(MemberSpec member, int classes, ItemImages items, int[] labels, Split split, long seed,
                        Path initialWeights, Path outDir, String key, TrainingListener listener) throws IOException {
        TrainingSpec spec = member.training();
        Checkpoints checkpoints = new Checkpoints(outDir.resolve("checkpoint"), key);
        List<Phase> phases = phases(spec);
        int totalEpochs = phases.stream().mapToInt(Phase::epochs).sum();
        Optional<Checkpoints.Saved> resume = checkpoints.latest(note -> listener.onNote(member.name(), note))
                .filter(saved -> saved.epochsDone() < totalEpochs);
        int done = resume.map(Checkpoints.Saved::epochsDone).orElse(0);
        List<EpochMetrics> history = new ArrayList<>(resume.map(Checkpoints.Saved::history).orElse(List.of()));
        double secondsBefore = resume.map(Checkpoints.Saved::seconds).orElse(0.0);
        long start = System.nanoTime();
        Augmentation augmentation = Augmentation.fastaiDefaults();
        List<int[]> validBatches = chunks(split.valid(), member.microBatchSize());
        items.makeResident(); // before the baseline: the peak is the training's own, as the probe measures it
        try (PeakMeter meter = PeakMeter.start(device);
             Learner learner = new Learner(member.arch(), classes, spec.inputSize(), spec.optimizer(),
                spec.weightDecay(), seed, device, resume.map(Checkpoints.Saved::params).orElse(initialWeights));
             BatchLoader trainLoader = new BatchLoader(items, labels, spec.inputSize(), augmentation, seed, threads,
                     prefetch(member.accum()));
             BatchLoader validLoader = new BatchLoader(items, labels, spec.inputSize(), null, seed, threads, 4)) {
            if (resume.isPresent()) {
                learner.loadOptimizer(resume.get().optimizer());
                listener.onNote(member.name(), String.format(Locale.ROOT, "resuming after epoch %d of %d from %s"
                        + " (model, optimizer state, schedule position; data order and augmentation follow from the seed)",
                        done, totalEpochs, resume.get().params()));
            }
            int epoch = 0;
            for (Phase phase : phases) {
                if (epoch + phase.epochs() <= done) {
                    epoch += phase.epochs();
                    continue;
                }
                if (spec.schedule() == Schedule.FINE_TUNE) {
                    learner.freezeBody(phase.frozen());
                }
                int stepsPerEpoch = Windows.stepsPerEpoch(split.train().length, spec.batchSize());
                OneCycle cycle = OneCycle.fastai(phase.lr(), stepsPerEpoch * phase.epochs())
                        .withPctStart(phase.pctStart()).withDiv(phase.div());
                int step = 0;
                for (int e = 0; e < phase.epochs(); e++, epoch++) {
                    if (epoch < done) {
                        step += stepsPerEpoch;
                        continue;
                    }
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
                    double elapsed = (System.nanoTime() - start) / 1e9;
                    checkpoints.save(learner, epoch + 1, secondsBefore + elapsed, history);
                    double eta = elapsed / (epoch + 1 - done) * (totalEpochs - epoch - 1);
                    listener.onEpoch(new TrainingListener.EpochReport(member.name(), epoch + 1, totalEpochs, phase.name(),
                            metrics.trainLoss(), metrics.validLoss(), metrics.errorRate(), metrics.imagesPerSecond(),
                            seconds, eta));
                }
            }
            learner.save(outDir.resolve("model.params"));
            checkpoints.clear();
            return new Result(List.copyOf(history), secondsBefore + (System.nanoTime() - start) / 1e9,
                    split.train().length, split.valid().length, meter.peakOverBaseline(), meter.what());
        }
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
