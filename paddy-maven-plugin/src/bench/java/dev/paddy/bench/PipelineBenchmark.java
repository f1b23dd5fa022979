package dev.paddy.bench;

import ai.djl.ndarray.NDArray;
import dev.paddy.model.ModelSource;
import dev.paddy.data.Augmentation;
import dev.paddy.data.BatchLoader.Batch;
import dev.paddy.data.BatchLoader;
import dev.paddy.data.Decoder;
import dev.paddy.data.ItemImages;
import dev.paddy.data.ItemTransform;
import dev.paddy.data.Normalization;
import dev.paddy.engine.Engines;
import dev.paddy.predict.Tta;
import dev.paddy.train.FitHook;
import dev.paddy.train.FitLoop;
import dev.paddy.train.GroupCycles;
import dev.paddy.train.Learner;
import dev.paddy.train.MemberTrainer;
import dev.paddy.train.OneCycle;
import dev.paddy.train.OptimizerKind;
import dev.paddy.train.PhaseSchedule;
import dev.paddy.train.Windows;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

/**
 * Feeds the engine? Times paddy's data path and loop against their anchors, on this machine, in
 * one run: (1) decode + item resize against ImageIO and Pillow's draft mode, (2) the training loop
 * against pure compute at 64 and 128 px, (3) the same at accum 4 x 16, (4) TTA against a pure
 * forward pass, (5) a member's epochs through the item cache, (6) the loop fine-tuning a
 * TorchScript resnet18 body (unfrozen, discriminative rates, fastai's head) against pure compute
 * on the same body. Pairs run interleaved (A B A B ...) and medians are reported, because the machine
 * is shared and noisy. The anchors ({@link PureCompute}) are plain DJL, the same model and step
 * without paddy's data path. Not part of the test suite: its sources live in src/bench/java and
 * compile only under the bench profile; run it with the command in the README.
 *
 * <p>Arguments: images, rounds, and optionally which part to run ({@code all}, {@code decode}:
 * (1) only, {@code fine-tune}: (6) only, {@code heads}: (7) only, {@code pair}: (8), {@link FineTunePair},
 * only) and the TorchScript body of (6) (else the system property
 * {@code bench.body}); (6) is skipped, saying how to make the body, when the file is missing.
 */
public final class PipelineBenchmark {
    private static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());

    private PipelineBenchmark() {}

    public static void main(String[] args) throws Exception {
        int images = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "paddy-bench-photos-" + images);
        List<Path> photos = Files.isDirectory(dir) && Files.list(dir).count() == images
                ? Files.list(dir).sorted().toList() : SyntheticPhotos.write(dir, images, 1);
        System.out.printf(Locale.ROOT, "paddy pipeline benchmark: %d synthetic 640x480 JPEGs (q90), %d cores, %s, decoder %s%n",
                images, THREADS, Engines.version(), Decoder.name());
        String only = args.length > 2 ? args[2] : "all";
        Path body = args.length > 3 ? Path.of(args[3])
                : System.getProperty("bench.body") == null ? null : Path.of(System.getProperty("bench.body"));
        if (only.equals("fine-tune")) {
            fineTuning(photos, body, Integer.getInteger("bench.item", 72), Integer.getInteger("bench.input", 64), rounds);
            return;
        }
        if (only.equals("pair")) {
            FineTunePair.run(body, rounds);
            return;
        }
        if (only.equals("heads")) {
            heads(photos, body, 36, 32, rounds);
            return;
        }
        decode(photos, rounds);
        if (only.equals("decode")) {
            return;
        }
        System.out.println();
        System.out.println("(2)+(3) training: paddy's loop (cached items -> augment on workers -> accumulate -> step)"
                + " vs pure compute (the same model, batch and accum on tensors already in memory)");
        training(photos, 72, 64, 1, rounds);
        training(photos, 144, 128, 1, Math.max(3, rounds - 2));
        training(photos, 72, 64, 4, rounds);
        if (Engines.device().isGpu()) {
            // On a GPU runner (-Pcuda), the recipe's real input size too.
            training(photos, 256, 224, 1, rounds);
            training(photos, 256, 224, 4, rounds);
        }
        System.out.println();
        tta(photos, rounds);
        System.out.println();
        epochs(photos);
        System.out.println();
        fineTuning(photos, body, 72, 64, rounds);
    }

    // (6) -----------------------------------------------------------------------------------------

    /** How to make the fine-tuning pair's body, printed when it is missing. */
    static final String MAKE_BODY = "/usr/bin/python3 paddy-maven-plugin/src/bench/resources/make_resnet18_body.py";

    /**
     * Fine-tuning a TorchScript body in fine_tune's unfrozen phase: torchvision's resnet18 with
     * {@code fc = Identity} ({@code src/bench/resources/make_resnet18_body.py}), fastai's head, the
     * body at lr/2/100 and the head at lr/2 (pct_start 0.3, div 5), AdamW without decay on norm
     * layers and biases; paddy's loop against pure compute on the same model, batch and groups.
     */
    static void fineTuning(List<Path> photos, Path body, int itemSize, int inputSize, int rounds) throws Exception {
        System.out.println("(6) fine-tuning a TorchScript resnet18 body (unfrozen, discriminative lrs, fastai head):"
                + " paddy's loop vs pure compute on the same body and batch");
        if (bodyMissing(body)) {
            return;
        }
        int batch = 64;
        int windowsPerRun = inputSize > 64 && !Engines.device().isGpu() ? 2 : 4;
        ItemImages items = ItemImages.presize(photos, new ItemTransform(ItemTransform.Resize.SQUISH, itemSize), THREADS, n -> { });
        int[] labels = IntStream.range(0, items.count()).map(i -> i % 10).toArray();
        ModelSource source = ModelSource.torchScript(body, ModelSource.FASTAI_HEAD, "resnet18-body");
        GroupCycles cycles = unfrozenCycles();
        List<Double> loop = new ArrayList<>();
        List<Double> pure = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        try (Learner learner = learner(source, inputSize);
             PureCompute anchor = anchor(source, inputSize);
             BatchLoader loader = trainLoader(items, labels, inputSize, 1)) {
            learner.freezeBody(false); // the unfrozen phase, as MemberTrainer sets it
            // Pure compute: the same model and batch, rendered once, as tensors in memory.
            Batch b = loader.render(IntStream.range(0, batch).map(i -> i % items.count()).toArray(), 0);
            List<NDArray> targets = List.of(anchor.labels(b));
            List<NDArray> data = List.of(anchor.input(b));
            int[] epoch = {0};
            Job paddyLoop = () -> {
                int[] order = IntStream.range(0, batch * windowsPerRun).map(i -> (i * 7 + epoch[0] * 13) % items.count()).toArray();
                Windows windows = Windows.of(order, batch, batch);
                return fit(learner, loader, windows, cycles, epoch[0]++);
            };
            Job pureCompute = () -> steps(anchor, data, targets, batch, windowsPerRun, cycles);
            interleaved(paddyLoop, pureCompute, batch * windowsPerRun, rounds, loop, pure, ratios);
        }
        System.out.printf(Locale.ROOT, "    resnet18 body %3d px, batch 64 = 1 x 64   paddy loop %s img/s | pure compute %s img/s%n",
                inputSize, stats(loop), stats(pure));
        System.out.printf(Locale.ROOT, "        ratio loop / pure compute %s   (target >= 0.90)%n", stats(ratios));
    }

    /**
     * The cost of fastai's head against a linear one on the same TorchScript body: pure compute
     * (no data path), the unfrozen phase's groups and step, batch 64, the two models interleaved.
     */
    static void heads(List<Path> photos, Path body, int itemSize, int inputSize, int rounds) throws Exception {
        System.out.println("(7) fine-tuning step, fastai head vs linear head on the same resnet18 body, pure compute");
        if (bodyMissing(body)) {
            return;
        }
        int batch = 64;
        int steps = 8;
        ItemImages items = ItemImages.presize(photos, new ItemTransform(ItemTransform.Resize.SQUISH, itemSize), THREADS, n -> { });
        int[] labels = IntStream.range(0, items.count()).map(i -> i % 10).toArray();
        GroupCycles cycles = unfrozenCycles();
        List<Double> fastai = new ArrayList<>();
        List<Double> linear = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        try (PureCompute withFastai = anchor(ModelSource.torchScript(body, ModelSource.FASTAI_HEAD, "body"), inputSize);
             PureCompute withLinear = anchor(ModelSource.torchScript(body, ModelSource.LINEAR_HEAD, "body"), inputSize);
             BatchLoader loader = trainLoader(items, labels, inputSize, 1)) {
            // The same batch for each model, rendered twice: an anchor's input() gives its batch back to the pool.
            Batch b = loader.render(IntStream.range(0, batch).map(i -> i % items.count()).toArray(), 0);
            Batch b2 = loader.render(IntStream.range(0, batch).map(i -> i % items.count()).toArray(), 0);
            List<NDArray> fLabels = List.of(withFastai.labels(b));
            List<NDArray> fData = List.of(withFastai.input(b)); // releases the batch
            List<NDArray> lLabels = List.of(withLinear.labels(b2));
            List<NDArray> lData = List.of(withLinear.input(b2));
            Job f = () -> steps(withFastai, fData, fLabels, batch, steps, cycles);
            Job l = () -> steps(withLinear, lData, lLabels, batch, steps, cycles);
            interleaved(f, l, batch * steps, rounds, fastai, linear, ratios);
        }
        System.out.printf(Locale.ROOT, "    %d px, batch 64   fastai head %s img/s | linear head %s img/s%n", inputSize,
                stats(fastai), stats(linear));
        System.out.printf(Locale.ROOT, "        ratio fastai / linear %s   (target >= 0.95)%n", stats(ratios));
        System.out.println("    paddy's loop, fine_tune's phases (frozen, then the first and later unfrozen runs), each head:");
        for (String head : List.of(ModelSource.FASTAI_HEAD, ModelSource.LINEAR_HEAD)) {
            phases(items, labels, ModelSource.torchScript(body, head, "body"), inputSize, rounds, cycles);
        }
    }

    /** One head through paddy's loop: frozen runs, the switch, unfrozen runs (img/s each). */
    private static void phases(ItemImages items, int[] labels, ModelSource source, int inputSize, int rounds,
                               GroupCycles cycles) throws Exception {
        int batch = 64;
        int windowsPerRun = 4;
        try (Learner learner = learner(source, inputSize);
             BatchLoader loader = trainLoader(items, labels, inputSize, 1)) {
            int[] epoch = {0};
            Job run = () -> fit(learner, loader, Windows.of(IntStream.range(0, batch * windowsPerRun)
                    .map(i -> (i * 7 + epoch[0] * 13) % items.count()).toArray(), batch, batch), cycles, epoch[0]++);
            learner.freezeBody(true);
            rate(run, batch * windowsPerRun); // warm-up
            List<Double> frozen = rates(run, batch * windowsPerRun, rounds);
            learner.freezeBody(false);
            learner.optimizer().clearState();
            double first = rate(run, batch * windowsPerRun);
            List<Double> unfrozen = rates(run, batch * windowsPerRun, rounds);
            System.out.printf(Locale.ROOT, "      %-7s frozen %s img/s | first unfrozen run %.0f img/s | unfrozen %s img/s%n",
                    source.head(), stats(frozen), first, stats(unfrozen));
        }
    }

    /** fine_tune's unfrozen phase at fastai's default base_lr: body at lr/2/100, head at lr/2, pct_start 0.3, div 5. */
    static GroupCycles unfrozenCycles() {
        double lr = 2e-3 / 2;
        return new GroupCycles(List.of(
                OneCycle.fastai(lr / 100, 1000).withPctStart(0.3).withDiv(5),
                OneCycle.fastai(lr, 1000).withPctStart(0.3).withDiv(5)));
    }

    /** Whether (6)'s and (7)'s body is missing; if so, says how to make it. */
    static boolean bodyMissing(Path body) {
        if (body != null && Files.isRegularFile(body)) {
            return false;
        }
        System.out.println("    skipped: no body at " + (body == null ? "(bench.body not set)" : body)
                + "; make it with Debian's python3-torch and python3-torchvision:");
        System.out.println("        " + MAKE_BODY + " " + (body == null ? "OUT.pt   # then -Dbench.body=OUT.pt" : body));
        return true;
    }

    /** {@code steps} optimizer steps of pure compute on tensors in memory, at the cycles' first steps. */
    private static Object steps(PureCompute model, List<NDArray> data, List<NDArray> labels, int batch, int steps,
                                GroupCycles cycles) {
        for (int w = 0; w < steps; w++) {
            model.optimizer().set(cycles.lrs(w), cycles.momentum(w));
            model.accumulateAndStep(data, labels, batch);
        }
        return null;
    }

    // (5) -----------------------------------------------------------------------------------------

    /**
     * One epoch of {@code windows} in paddy's training loop ({@link FitLoop}), its schedule starting
     * at step 0, as loader epoch {@code epoch}; returns the epoch's mean training loss.
     */
    static Double fit(Learner learner, BatchLoader loader, Windows windows, GroupCycles cycles, int epoch)
            throws IOException {
        double[] loss = {Double.NaN};
        FitHook meanLoss = new FitHook() {
            @Override
            public void afterEpoch(int e, double trainLoss, int seen) {
                loss[0] = trainLoss;
            }
        };
        new FitLoop(learner, loader, e -> windows, List.of(PhaseSchedule.oneCycle(learner, cycles,
                windows.windowSizes().size(), epoch), meanLoss)).run(epoch, epoch + 1);
        return loss[0];
    }

    /** A member's two epochs through the item cache: how much of each goes to decoding. */
    static void epochs(List<Path> photos) throws Exception {
        Path cache = Files.createTempDirectory("paddy-bench-items");
        ItemTransform item = new ItemTransform(ItemTransform.Resize.SQUISH, 72);
        int[] labels = IntStream.range(0, photos.size()).map(i -> i % 10).toArray();
        System.out.println("(5) a member's epochs (resnet18 64 px, batch 64, " + photos.size() + " images), items through the"
                + " memory-mapped cache:");
        try (Learner learner = learner(ModelSource.builtIn("resnet18"), 64)) {
            for (int epoch = 0; epoch < 2; epoch++) {
                long start = System.nanoTime();
                ItemImages items = ItemImages.presize(photos, item, THREADS, n -> { }, cache);
                double decode = (System.nanoTime() - start) / 1e9;
                long trainStart = System.nanoTime();
                try (BatchLoader loader = trainLoader(items, labels, 64, 1)) {
                    Windows windows = Windows.of(IntStream.range(0, items.count()).toArray(), 64, 64);
                    fit(learner, loader, windows, GroupCycles.same(OneCycle.fastai(1e-3, 100), learner.groupCount()), epoch);
                }
                double train = (System.nanoTime() - trainStart) / 1e9;
                System.out.printf(Locale.ROOT, "    epoch %d: %s %.2f s + training %.1f s -> %.1f%% of the epoch in decoding%s%n",
                        epoch + 1, items.fromCache() ? "mapping the item cache" : "decoding into the item cache", decode,
                        train, 100 * decode / (decode + train), epoch == 1 ? "   (target < 5%)" : "");
            }
        } finally {
            try (var files = Files.list(cache)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(cache);
        }
    }

    // (1) -----------------------------------------------------------------------------------------

    static void decode(List<Path> photos, int rounds) throws Exception {
        ItemTransform item = new ItemTransform(ItemTransform.Resize.SQUISH, 224);
        boolean pillow = pillowAvailable();
        List<Double> paddy = new ArrayList<>();
        List<Double> imageio = new ArrayList<>();
        List<Double> draft = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        rate(() -> ItemImages.presize(photos, item, THREADS, n -> { }), photos.size()); // warm-up
        for (int r = 0; r < rounds; r++) {
            double p = rate(() -> ItemImages.presize(photos, item, THREADS, n -> { }), photos.size());
            double i = rate(() -> parallel(photos, f -> Decoder.decodeWithImageIo(f, item)), photos.size());
            paddy.add(p);
            imageio.add(i);
            if (pillow) {
                double d = pillowRate(photos.get(0).getParent());
                draft.add(d);
                ratios.add(p / d);
            }
        }
        System.out.println("(1) decode + item resize 640x480 -> 224 (squish), images/s on " + THREADS + " threads/processes:");
        System.out.printf(Locale.ROOT, "    paddy (%s reduced decode + resize)        %s%n", Decoder.name(), stats(paddy));
        System.out.printf(Locale.ROOT, "    ImageIO + bilinear (antialiased) resize      %s%n", stats(imageio));
        if (pillow) {
            System.out.printf(Locale.ROOT, "    Pillow draft mode + bilinear resize          %s%n", stats(draft));
            System.out.printf(Locale.ROOT, "    ratio paddy / Pillow-draft                   %s   (target >= 1.05)%n", stats(ratios));
        } else {
            System.out.println("    Pillow: not installed for /usr/bin/python3 (apt-get install python3-pil) - ratio not measured");
        }
        System.out.printf(Locale.ROOT, "    ratio paddy / ImageIO                        %.2f%n", median(paddy) / median(imageio));
    }

    interface Job {
        Object run() throws Exception;
    }

    interface FileJob {
        Object run(Path file) throws Exception;
    }

    /** One warm-up of each, then A B A B ... for {@code rounds}: rates of each and the ratio A/B per pair. */
    static void interleaved(Job a, Job b, int count, int rounds, List<Double> as, List<Double> bs, List<Double> ratios)
            throws Exception {
        rate(a, count);
        rate(b, count);
        for (int r = 0; r < rounds; r++) {
            double rateA = rate(a, count);
            double rateB = rate(b, count);
            as.add(rateA);
            bs.add(rateB);
            ratios.add(rateA / rateB);
        }
    }

    /** The benchmark's learner: 10 classes, AdamW with weight decay 0.01, seed 1, on the engine's device. */
    static Learner learner(ModelSource source, int inputSize) {
        return Learner.of(source).classes(10).inputSize(inputSize).optimizer(OptimizerKind.ADAMW, 0.01).seed(1)
                .device(Engines.device()).build();
    }

    /** Pure compute with the same settings as {@link #learner}. */
    static PureCompute anchor(ModelSource source, int inputSize) {
        return new PureCompute(source, 10, inputSize, OptimizerKind.ADAMW, 0.01, 1, Engines.device());
    }

    /** A training loader as a member's: fastai's augmentation, ImageNet normalisation, prefetch for {@code accum}. */
    static BatchLoader trainLoader(ItemImages items, int[] labels, int inputSize, int accum) {
        return new BatchLoader(items, new int[][] {labels}, inputSize, Augmentation.fastaiDefaults(), Normalization.IMAGENET,
                1, THREADS, MemberTrainer.prefetch(accum));
    }

    /** {@code rounds} rates of {@code job}, one after another. */
    static List<Double> rates(Job job, int count, int rounds) throws Exception {
        List<Double> rates = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            rates.add(rate(job, count));
        }
        return rates;
    }

    static double rate(Job job, int count) throws Exception {
        long start = System.nanoTime();
        job.run();
        return count / ((System.nanoTime() - start) / 1e9);
    }

    static Object parallel(List<Path> files, FileJob job) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> futures = new ArrayList<>();
            int chunk = (files.size() + THREADS - 1) / THREADS;
            for (int t = 0; t < THREADS; t++) {
                List<Path> part = files.subList(Math.min(files.size(), t * chunk), Math.min(files.size(), (t + 1) * chunk));
                futures.add(pool.submit(() -> {
                    for (Path f : part) {
                        job.run(f);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            return null;
        } finally {
            pool.shutdown();
        }
    }

    static final String PILLOW = """
            import sys, time, glob
            from multiprocessing import Pool
            from PIL import Image
            def load(path):
                im = Image.open(path)
                im.draft('RGB', (224, 224))
                return len(im.convert('RGB').resize((224, 224), Image.BILINEAR).tobytes())
            files = sorted(glob.glob(sys.argv[1] + '/*.jpg'))
            with Pool(int(sys.argv[2])) as pool:
                pool.map(load, files[:32])
                t = time.time(); pool.map(load, files, chunksize=16); dt = time.time() - t
            print(len(files) / dt)
            """;

    static boolean pillowAvailable() {
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import PIL").redirectErrorStream(true).start();
            return p.waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    static double pillowRate(Path dir) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", PILLOW, dir.toString(), Integer.toString(THREADS))
                .redirectErrorStream(true).start();
        String out;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            out = in.lines().reduce((a, b) -> b).orElse("");
        }
        p.waitFor();
        return Double.parseDouble(out.trim());
    }

    // (2) and (3) ---------------------------------------------------------------------------------

    static void training(List<Path> photos, int itemSize, int inputSize, int accum, int rounds) throws Exception {
        int batch = 64;
        int windowsPerRun = inputSize > 64 && !Engines.device().isGpu() ? 2 : 4;
        ItemImages items = ItemImages.presize(photos, new ItemTransform(ItemTransform.Resize.SQUISH, itemSize), THREADS, n -> { });
        int[] labels = IntStream.range(0, items.count()).map(i -> i % 10).toArray();
        List<Double> loop = new ArrayList<>();
        List<Double> pure = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        try (Learner learner = learner(ModelSource.builtIn("resnet18"), inputSize);
             PureCompute anchor = anchor(ModelSource.builtIn("resnet18"), inputSize);
             BatchLoader loader = trainLoader(items, labels, inputSize, accum)) {
            int micro = batch / accum;
            // Pure compute: the same model and micro-batches, rendered once, as tensors in memory
            // (indices wrap around as the loop's do, so fewer images than a batch still work).
            List<NDArray> data = new ArrayList<>();
            List<NDArray> targets = new ArrayList<>();
            for (int m = 0; m < accum; m++) {
                Batch b = loader.render(IntStream.range(m * micro, (m + 1) * micro).map(i -> i % items.count()).toArray(), 0);
                targets.add(anchor.labels(b));
                data.add(anchor.input(b));
            }
            OneCycle cycle = OneCycle.fastai(1e-3, 1000);
            int[] epoch = {0};
            Job paddyLoop = () -> {
                int[] order = IntStream.range(0, batch * windowsPerRun).map(i -> (i * 7 + epoch[0] * 13) % items.count()).toArray();
                Windows windows = Windows.of(order, batch, micro);
                return fit(learner, loader, windows, GroupCycles.same(cycle, learner.groupCount()), epoch[0]++);
            };
            Job pureCompute = () -> {
                for (int w = 0; w < windowsPerRun; w++) {
                    anchor.optimizer().set(cycle.lr(w), cycle.momentum(w));
                    anchor.accumulateAndStep(data, targets, batch);
                }
                return null;
            };
            interleaved(paddyLoop, pureCompute, batch * windowsPerRun, rounds, loop, pure, ratios);
        }
        System.out.printf(Locale.ROOT, "    resnet18 %3d px, batch 64 = %d x %-2d  paddy loop %s img/s | pure compute %s img/s%n",
                inputSize, accum, batch / accum, stats(loop), stats(pure));
        System.out.printf(Locale.ROOT, "        ratio loop / pure compute %s   (target >= 0.90)%n", stats(ratios));
    }

    // (4) -----------------------------------------------------------------------------------------

    static void tta(List<Path> photos, int rounds) throws Exception {
        int inputSize = 64;
        int batch = 64;
        List<Path> test = photos.subList(0, Math.min(256, photos.size()));
        ItemImages items = ItemImages.presize(test, new ItemTransform(ItemTransform.Resize.SQUISH, 72), THREADS, n -> { });
        List<Double> tta = new ArrayList<>();
        List<Double> pure = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        try (Learner learner = learner(ModelSource.builtIn("resnet18"), inputSize);
             PureCompute anchor = anchor(ModelSource.builtIn("resnet18"), inputSize);
             BatchLoader loader = new BatchLoader(items, null, inputSize, null, Normalization.IMAGENET, 1, THREADS, 4)) {
            List<NDArray> tensors = new ArrayList<>();
            for (int start = 0; start < items.count(); start += batch) {
                tensors.add(anchor.input(loader.render(IntStream.range(start, Math.min(items.count(), start + batch)).toArray(), 0)));
            }
            int passes = 5;
            Job paddy = () -> Tta.predict(learner, items, inputSize, Normalization.IMAGENET, passes - 1, 0.25, 1, batch, THREADS,
                    pass -> { });
            Job forward = () -> {
                for (int p = 0; p < passes; p++) {
                    for (NDArray t : tensors) {
                        anchor.forward(t);
                    }
                }
                return null;
            };
            interleaved(paddy, forward, items.count() * passes, rounds, tta, pure, ratios);
        }
        System.out.println("(4) TTA (n=4 augmented + 1 plain pass), resnet18 64 px, test images x passes per second:");
        System.out.printf(Locale.ROOT, "    paddy TTA %s | pure forward passes %s%n", stats(tta), stats(pure));
        System.out.printf(Locale.ROOT, "    ratio TTA / pure forward %s   (target >= 0.90)%n", stats(ratios));
    }

    // ---------------------------------------------------------------------------------------------

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static String stats(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        String format = sorted[sorted.length - 1] < 10 ? "%.2f" : "%.0f";
        return String.format(Locale.ROOT, "median " + format + " [" + format + " - " + format + "]",
                median(values), sorted[0], sorted[sorted.length - 1]);
    }
}
