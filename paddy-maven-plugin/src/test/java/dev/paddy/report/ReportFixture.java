package dev.paddy.report;

import dev.paddy.TinyPaddy;
import dev.paddy.data.ImageFiles;
import dev.paddy.report.ReportModel.Ensemble;
import dev.paddy.report.ReportModel.EnsembleRow;
import dev.paddy.report.ReportModel.Environment;
import dev.paddy.report.ReportModel.Epoch;
import dev.paddy.report.ReportModel.LrFind;
import dev.paddy.report.ReportModel.Member;
import dev.paddy.report.ReportModel.Memory;
import dev.paddy.report.ReportModel.Outcome;
import dev.paddy.report.ReportModel.Run;
import dev.paddy.report.ReportModel.StageRun;
import dev.paddy.report.ReportModel.Step;
import dev.paddy.report.ReportModel.TopLoss;
import dev.paddy.report.ReportModel.Trial;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A report model with the figures a real run of the example has: two members, 6 epochs of 38
 * optimizer steps (228 steps), the 10 Fashion-MNIST classes, top losses on the example's own
 * images. Member "resnet18" has the lr finder, a memory plan, two parameter groups and the
 * environment it was trained under (portable numerics on an AVX-512 CPU capped at AVX2); member
 * "convnext" has no lr finder, no plan (trials empty), no trainedBy, no environment (an earlier
 * paddy's record), and among its top losses a file that does not exist and one that is not an image.
 */
final class ReportFixture {
    static final int EPOCHS = 6;
    static final int STEPS_PER_EPOCH = 38;
    static final Path TRAIN = TinyPaddy.EXAMPLE_DATA.resolve("train_images");

    private ReportFixture() {}

    /** The model; {@code scratch} receives the one unreadable image file. */
    static ReportModel model(Path scratch) throws IOException {
        List<String> vocabulary = ImageFiles.subfolders(TRAIN).stream().map(p -> p.getFileName().toString()).toList();
        Path broken = Files.writeString(scratch.resolve("broken.png"), "not a PNG at all");
        Path missing = TRAIN.resolve("coat").resolve("no-such-image.png");
        String skipped = TRAIN.resolve("bag").resolve("100666.png") + ": not a readable image (no decoder recognised its content)";
        Member resnet = new Member("resnet18", "resnet18", "ci-runner-3 (builder) at 2025-11-23T13:58:02Z",
                new Environment("AMD EPYC 9R14", "avx512_core_bf16 capped at avx2, ATEN_CPU_CAPABILITY avx2, MKL_CBWR AVX2",
                        "1+1 threads", "cpu()", "PyTorch 2.5.1 (DJL 0.32.0)", "portable"), false, vocabulary, epochs(1.0), schedule(0.002, 2), confusion(vocabulary.size(), 11), topLosses(vocabulary, 0, null, null),
                new Memory(480.0, List.of(new Trial(1, 64, 539.5, false), new Trial(2, 32, 396.6, true)), 411.0,
                        "process peak resident memory (VmHWM)"),
                List.of(skipped), lrFind());
        Member convnext = new Member("convnext", "convnext_atto", null, null, true, vocabulary, epochs(1.15), schedule(0.003, 1),
                confusion(vocabulary.size(), 23), topLosses(vocabulary, 3, missing, broken),
                new Memory(null, List.of(), 352.8, "process peak resident memory (VmHWM)"),
                List.of(skipped, TRAIN.resolve("shirt").resolve("101234.png") + ": cannot decode (truncated file)"), null);
        return new ReportModel(
                new Run("/work/exp/example-project/paddy.yaml",
                        "9f2c41d0b7e85a3c6d1e0f4a2b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c", "0.1.0-SNAPSHOT",
                        "PyTorch 2.5.1 (DJL 0.32.0)", "Intel(R) Xeon(R) Platinum 8488C", "avx512_core_amx", "cpu()", 2,
                        "2025-11-23 14:02:11 UTC"),
                List.of(new StageRun("probe-memory", 36.41, "2025-11-23 13:52:40", List.of(
                                new Outcome("resnet18", "ran", "new: no plan for budget 480 MiB"),
                                new Outcome("convnext", "cached", "accum fixed at 1"))),
                        new StageRun("train", 412.87, "2025-11-23 14:01:53", List.of(
                                new Outcome("resnet18", "ran", "config changed: lr 0.001 -> 0.002"),
                                new Outcome("convnext", "resolved", "team repository (file:///srv/experiments)"))),
                        new StageRun("tta", 9.12, "2025-11-23 14:02:03", List.of(
                                new Outcome("resnet18", "ran", "training changed"),
                                new Outcome("convnext", "cached", "predictions up to date"))),
                        new StageRun("ensemble", 0.04, "2025-11-23 14:02:04", List.of()),
                        new StageRun("submit", 0.02, "2025-11-23 14:02:04", List.of())),
                List.of(resnet, convnext),
                new Ensemble(List.of(new EnsembleRow("resnet18", "resnet18", 1, 0.1183, 0.874),
                        new EnsembleRow("convnext", "convnext_atto", 2, 0.1317, 0.861)), 0.889));
    }

    /** Falling losses and error rate, {@code scale} making one member worse than the other. */
    static List<Epoch> epochs(double scale) {
        double[] train = {1.6231, 0.8914, 0.6542, 0.5237, 0.4411, 0.3986};
        double[] valid = {1.0127, 0.7318, 0.5894, 0.4712, 0.4105, 0.3952};
        double[] error = {0.3650, 0.2683, 0.2117, 0.1633, 0.1383, 0.1183};
        List<Epoch> epochs = new ArrayList<>();
        for (int e = 0; e < EPOCHS; e++) {
            epochs.add(new Epoch(e + 1, "", train[e] * scale, valid[e] * scale, Math.min(1, error[e] * scale),
                    31.2 + e * 0.7));
        }
        return epochs;
    }

    /** fastai's one-cycle: warm-up 25 % from lr/25, cosine down to lr/1e5, momentum 0.95 → 0.85 → 0.95. */
    static List<Step> schedule(double lr, int groups) {
        int steps = EPOCHS * STEPS_PER_EPOCH;
        List<Step> schedule = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            double p = i / (double) (steps - 1);
            double up = Math.min(1, p / 0.25);
            double down = p < 0.25 ? 0 : (p - 0.25) / 0.75;
            double rate = p < 0.25 ? cos(lr / 25, lr, up) : cos(lr, lr / 1e5, down);
            double momentum = p < 0.25 ? cos(0.95, 0.85, up) : cos(0.85, 0.95, down);
            List<Double> lrs = new ArrayList<>();
            for (int g = 0; g < groups; g++) {
                lrs.add(rate / Math.pow(10, groups - 1 - g)); // discriminative: the body lower than the head
            }
            schedule.add(new Step(i + 1, lrs, momentum));
        }
        return schedule;
    }

    private static double cos(double start, double end, double pct) {
        return end + (start - end) / 2 * (Math.cos(Math.PI * pct) + 1);
    }

    /** About 60 validation images per class, mostly right, the usual confusions (shirt, t-shirt, pullover, coat). */
    static int[][] confusion(int classes, long seed) {
        Random random = new Random(seed);
        int[][] matrix = new int[classes][classes];
        for (int a = 0; a < classes; a++) {
            int total = 55 + random.nextInt(10);
            int wrong = 2 + random.nextInt(a == 6 ? 20 : 8);
            for (int i = 0; i < wrong; i++) {
                int p = random.nextInt(classes);
                matrix[a][p == a ? (p + 1) % classes : p]++;
            }
            matrix[a][a] = total - wrong;
        }
        return matrix;
    }

    /**
     * Nine real validation images, one of each of nine classes, each "predicted" as the next class;
     * {@code missing} and {@code broken} (when given) replace the first two.
     */
    static List<TopLoss> topLosses(List<String> vocabulary, int offset, Path missing, Path broken) {
        List<TopLoss> losses = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            String actual = vocabulary.get((i + offset) % vocabulary.size());
            String predicted = vocabulary.get((i + offset + 1) % vocabulary.size());
            Path image = ImageFiles.list(TRAIN.resolve(actual)).get(7 + i);
            if (i == 0 && missing != null) {
                image = missing;
            } else if (i == 1 && broken != null) {
                image = broken;
            }
            double probability = 0.97 - i * 0.04;
            losses.add(new TopLoss(image, actual, predicted, probability, 6.2 - i * 0.45));
        }
        return losses;
    }

    /**
     * A smoothed lr finder curve: flat, falling, a valley near 3e-3, then diverging until it
     * passes 4 times its minimum, where fastai stops the sweep; fastai's four suggestions.
     */
    static LrFind lrFind() {
        List<Double> lrs = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 100; i++) {
            double lr = 1e-7 * Math.pow(10, 8.0 * i / 99);
            double x = Math.log10(lr);
            double loss = 2.31 - 1.35 / (1 + Math.exp(-(x + 3.9) * 2.2)) + (x > -1.6 ? Math.pow(x + 1.6, 2) * 1.7 : 0);
            lrs.add(lr);
            losses.add(loss);
            best = Math.min(best, loss);
            if (loss > 4 * best) {
                break;
            }
        }
        Map<String, Double> suggestions = new LinkedHashMap<>();
        suggestions.put("minimum", 2.5e-3);
        suggestions.put("steep", 1.3e-4);
        suggestions.put("valley", 8.3e-4);
        suggestions.put("slide", 2.1e-3);
        return new LrFind(lrs, losses, suggestions);
    }

    /** Every section id the report must have for this model. */
    static List<String> sectionIds() {
        List<String> ids = new ArrayList<>(List.of("run", "stages", "ensemble", "skipped"));
        for (String member : List.of("resnet18", "convnext")) {
            ids.add("member-" + member);
            for (String part : List.of("training", "schedule", "confusion", "top-losses", "memory", "environment")) {
                ids.add("member-" + member + "-" + part);
            }
        }
        ids.add("member-resnet18-lr-find");
        return ids;
    }
}
