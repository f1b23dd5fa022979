package dev.paddy.memory;

import ai.djl.Device;
import dev.paddy.data.Augmentation;
import dev.paddy.data.BatchLoader;
import dev.paddy.data.ItemImages;
import dev.paddy.data.ItemTransform;
import dev.paddy.data.Normalization;
import dev.paddy.engine.Engines;
import dev.paddy.engine.OutOfMemory;
import dev.paddy.engine.PeakMeter;
import dev.paddy.io.Json;
import dev.paddy.train.Checkpoints;
import dev.paddy.train.FitHook;
import dev.paddy.train.FitLoop;
import dev.paddy.train.GroupCycles;
import dev.paddy.train.Learner;
import dev.paddy.train.MemberTrainer;
import dev.paddy.train.OneCycle;
import dev.paddy.train.OptimizerKind;
import dev.paddy.train.PhaseSchedule;
import dev.paddy.train.Windows;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The child JVM's side of a probe: trains the requested member for a few full optimizer steps
 * (forward, backward, step: the optimizer state exists only after the first) through the same
 * loader and loop as {@code paddy:train}, then one validation pass, and reports the peak memory
 * over the baseline taken after the engine and images are loaded, before the model is built.
 *
 * <p>Usage: {@code java -cp <plugin class path> dev.paddy.memory.MemoryProbe request.json result.json}.
 * Exit 0 with a result; 3 when the probe ran out of memory (the result says so).
 */
public final class MemoryProbe {
    private MemoryProbe() {}

    public static void main(String[] args) throws Exception {
        ProbeRequest request = Json.fromJson(Files.readString(Path.of(args[0]), StandardCharsets.UTF_8), ProbeRequest.class);
        Path resultFile = Path.of(args[1]);
        long start = System.nanoTime();
        ProbeResult result;
        int exit = 0;
        try {
            result = run(request, start);
        } catch (OutOfMemoryError | RuntimeException e) {
            if (!outOfMemory(e)) {
                throw e; // not a memory verdict: the parent reports the failure with this log
            }
            result = ProbeResult.failed(request.accum(), "out of memory: " + e.getMessage(), (System.nanoTime() - start) / 1e9);
            exit = 3;
        }
        Json.write(resultFile, result); // atomic: a probe killed while reporting leaves no half result
        System.exit(exit);
    }

    static ProbeResult run(ProbeRequest request, long start) throws IOException {
        Device device = Engines.device();
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        List<Path> files = request.images().stream().map(Path::of).toList();
        ItemTransform item = new ItemTransform(ItemTransform.Resize.valueOf(request.itemResize()), request.itemSize());
        ItemImages items = ItemImages.presize(files, item, threads, n -> { });
        if (!items.failures().isEmpty() && items.failures().size() == files.size()) {
            throw new IllegalStateException("no probe image could be decoded: " + items.failures().get(0));
        }
        int[] labels = new int[items.count()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % request.classes();
        }
        int[] usable = java.util.stream.IntStream.range(0, items.count()).filter(i -> !items.isMissing(i)).toArray();
        try (PeakMeter meter = PeakMeter.start(device);
             Learner learner = Learner.of(request.model()).classes(request.classes()).inputSize(request.inputSize())
                     .optimizer(OptimizerKind.valueOf(request.optimizer()), request.weightDecay()).seed(1)
                     .device(device).build();
             BatchLoader loader = new BatchLoader(items, new int[][] {labels}, request.inputSize(),
                     Augmentation.fastaiDefaults(), Normalization.IMAGENET, 1,
                     threads, MemberTrainer.prefetch(request.accum()))) {
            // The largest window the member will see, a full effective batch cycling through the
            // images, across an epoch boundary as training crosses it: steps, a validation pass,
            // the checkpoint, steps again and validation again.
            Checkpoints checkpoints = new Checkpoints(Files.createTempDirectory("paddy-probe"), "probe");
            try {
                int[] order = order(request, usable);
                List<int[]> valid = BatchLoader.groups(Arrays.copyOf(order, request.steps() * request.microBatchSize()),
                        request.microBatchSize());
                Windows windows = Windows.of(order, request.batchSize(), request.microBatchSize());
                GroupCycles cycles = GroupCycles.same(OneCycle.fastai(1e-3, 2 * windows.windowSizes().size()),
                        learner.groupCount());
                FitHook validateAndCheckpoint = new FitHook() {
                    @Override
                    public void afterEpoch(int epoch, double trainLoss, int seen) throws IOException {
                        learner.evaluate(loader.batches(valid, 100 + epoch));
                        checkpoints.save(learner, epoch + 1, 0, List.of());
                    }
                };
                // The training's own loop, so the probe measures what paddy:train will do.
                new FitLoop(learner, loader, epoch -> windows, List.of(PhaseSchedule.oneCycle(learner, cycles,
                        windows.windowSizes().size(), 0), validateAndCheckpoint)).run(0, 2);
            } finally {
                checkpoints.clear();
            }
            long peak = meter.peakOverBaseline();
            return new ProbeResult(request.accum(), true, peak, device.toString(), "",
                    (System.nanoTime() - start) / 1e9);
        }
    }

    private static int[] order(ProbeRequest request, int[] usable) {
        int[] order = new int[request.batchSize() * request.steps()];
        for (int i = 0; i < order.length; i++) {
            order[i] = usable[i % usable.length];
        }
        return order;
    }

    /** Java's OutOfMemoryError, or the engine's allocator failing (PyTorch's CPU text is "not enough memory"). */
    static boolean outOfMemory(Throwable e) {
        return OutOfMemory.is(e);
    }
}
