package dev.paddy.bench;

import dev.paddy.TinyPaddy;
import dev.paddy.data.BatchLoader;
import dev.paddy.data.BatchLoader.Batch;
import dev.paddy.data.ItemTransform;
import dev.paddy.data.Normalization;
import dev.paddy.engine.Engines;
import dev.paddy.model.ModelSource;
import dev.paddy.train.Learner;
import dev.paddy.train.OptimizerKind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Issue 19 spike: does a short real training + prediction give the same bytes under another ISA
 * cap or thread count? Trains paddy's resnet18 (paddy's Learner: AdamW, seed 1) on real example
 * images without augmentation, predicts, prints the sha256 of the saved parameters and of the
 * prediction floats and the seconds taken. The environment (ONEDNN_MAX_CPU_ISA,
 * ATEN_CPU_CAPABILITY, MKL_CBWR, OMP_NUM_THREADS, -Dai.djl.pytorch.num_threads ...) is set by the
 * caller, scripts/numerics-probe.sh, one fresh JVM per setting.
 *
 * <p>Run from paddy-maven-plugin/ (the example data is found at ../example-project/data).
 * Arguments: steps (default 30), input size (default 64), output folder for the params.
 */
public final class NumericsProbe {
    public static void main(String[] args) throws Exception {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int inputSize = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        Path out = Files.createDirectories(Path.of(args.length > 2 ? args[2] : "target/numerics-probe"));
        int classes = 4;
        int batch = 16;
        int micro = 8;
        Engines.pytorch();
        long start = System.nanoTime();
        TinyPaddy.LabelledItems data = TinyPaddy.exampleItems(classes, 12,
                new ItemTransform(ItemTransform.Resize.SQUISH, inputSize));
        int count = data.labels().length;
        try (Learner learner = Learner.of(ModelSource.builtIn("resnet18")).classes(classes).inputSize(inputSize)
                .optimizer(OptimizerKind.ADAMW, 0.01).seed(1).device(Engines.device()).build();
             BatchLoader loader = new BatchLoader(data.items(), new int[][] {data.labels()}, inputSize, null,
                     Normalization.IMAGENET, 1, 1, 2)) {
            double lastLoss = 0;
            for (int step = 0; step < steps; step++) {
                learner.optimizer().set(1e-3, 0.9);
                List<Batch> window = new ArrayList<>();
                for (int m = 0; m < batch / micro; m++) {
                    int from = step * batch + m * micro;
                    window.add(loader.render(IntStream.range(from, from + micro).map(i -> (i * 7) % count).toArray(), 0));
                }
                lastLoss = learner.accumulateAndStep(window, batch);
            }
            double trainSeconds = (System.nanoTime() - start) / 1e9;
            Path params = out.resolve("params-" + ProcessHandle.current().pid() + ".bin");
            learner.save(params);
            BatchLoader test = new BatchLoader(data.items(), null, inputSize, null, Normalization.IMAGENET, 1, 1, 2);
            List<Batch> batches = new ArrayList<>();
            for (int[] group : BatchLoader.groups(IntStream.range(0, count).toArray(), 16)) {
                batches.add(test.render(group, 0));
            }
            float[][][] probabilities = learner.predict(batches.iterator(), count);
            test.close();
            ByteBuffer floats = ByteBuffer.allocate(count * classes * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (float[] row : probabilities[0]) {
                for (float p : row) {
                    floats.putFloat(p);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "params=%s preds=%s loss=%.9f p0=%.9f train_s=%.2f total_s=%.2f%n",
                    sha(Files.readAllBytes(params)).substring(0, 16), sha(floats.array()).substring(0, 16), lastLoss,
                    probabilities[0][0][0], trainSeconds, seconds);
            Files.delete(params);
        }
    }

    private static String sha(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
