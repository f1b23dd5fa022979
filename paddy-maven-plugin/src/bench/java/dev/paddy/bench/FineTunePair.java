package dev.paddy.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.paddy.data.FashionMnist;
import dev.paddy.experiment.EnsembleResult;
import dev.paddy.experiment.Experiment;
import dev.paddy.experiment.ExperimentLog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * (8) The fine-tune pair: one paddy member fine-tuning a TorchScript body, against a plain
 * PyTorch script doing the same recipe ({@code src/bench/resources/fine_tune_peer.py}), for
 * fastai's head and a linear one. The case of issue 20: torchvision's resnet18 body ({@code
 * make_resnet18_body.py}), 1,200 Fashion-MNIST training images (120 a class; 20 % held out) squished
 * to 36 px items and 32 px inputs, 1 frozen + 5 unfrozen epochs at lr 0.003, batch 64, TTA n=4 on
 * 600 test images. Rounds run interleaved (paddy fastai, peer fastai, paddy linear, peer linear) and
 * medians are printed with their spread.
 *
 * <p>"training" is paddy's recorded training time (the model built, every epoch with its validation,
 * the weights saved, the final validation predictions) and the peer's same span; "whole" runs from
 * opening the data to the submission written. Neither counts its runtime's start (the JVM, the
 * Python interpreter and {@code import torch}); paddy's first round includes loading libtorch.
 */
final class FineTunePair {
    static final String PEER_SCRIPT = "src/bench/resources/fine_tune_peer.py";
    private static final List<String> HEADS = List.of("fastai", "linear");
    private static final String MEMBER = "ft";

    private FineTunePair() {}

    record Run(double trainingSeconds, double wholeSeconds, double accuracy) {}

    static void run(Path body, int rounds) throws Exception {
        System.out.println("(8) fine-tune pair: a paddy member vs plain PyTorch (" + PEER_SCRIPT + "), same body,"
                + " data and recipe, both heads; training and whole-run seconds, ratio peer / paddy (target >= 1.0)");
        if (PipelineBenchmark.bodyMissing(body)) {
            return;
        }
        if (!Files.isDirectory(FashionMnist.DEBIAN_FOLDER)) {
            System.out.println("    skipped: no " + FashionMnist.DEBIAN_FOLDER + " (apt-get install dataset-fashion-mnist)");
            return;
        }
        Path work = Files.createTempDirectory("paddy-bench-pair");
        FashionMnist.convert(FashionMnist.DEBIAN_FOLDER, work.resolve("data"), 120, 600);
        Map<String, Path> manifests = new LinkedHashMap<>();
        Map<String, List<Run>> paddyRuns = new LinkedHashMap<>();
        Map<String, List<Run>> peerRuns = new LinkedHashMap<>();
        for (String head : HEADS) {
            manifests.put(head, manifest(work, body, head));
            paddyRuns.put(head, new ArrayList<>());
            peerRuns.put(head, new ArrayList<>());
        }
        for (int round = 0; round < rounds; round++) {
            for (String head : HEADS) {
                Run paddy = paddy(manifests.get(head), work.resolve("paddy-" + head + "-" + round));
                Run peer = peer(work, body, head, round);
                paddyRuns.get(head).add(paddy);
                peerRuns.get(head).add(peer);
                System.out.printf(Locale.ROOT, "    round %d %-6s paddy training %6.1f s whole %6.1f s acc %.3f |"
                                + " peer training %6.1f s whole %6.1f s acc %.3f | ratio %.2f%n", round + 1, head,
                        paddy.trainingSeconds, paddy.wholeSeconds, paddy.accuracy,
                        peer.trainingSeconds, peer.wholeSeconds, peer.accuracy, peer.trainingSeconds / paddy.trainingSeconds);
            }
        }
        for (String head : HEADS) {
            List<Run> paddy = paddyRuns.get(head);
            List<Run> peer = peerRuns.get(head);
            System.out.printf(Locale.ROOT, "    %-6s head: paddy training %s s, whole %s s, test accuracy %s%n", head,
                    PipelineBenchmark.stats(seconds(paddy, Run::trainingSeconds)),
                    PipelineBenchmark.stats(seconds(paddy, Run::wholeSeconds)),
                    PipelineBenchmark.stats(seconds(paddy, Run::accuracy)));
            System.out.printf(Locale.ROOT, "    %-6s head: peer  training %s s, whole %s s, test accuracy %s%n", head,
                    PipelineBenchmark.stats(seconds(peer, Run::trainingSeconds)),
                    PipelineBenchmark.stats(seconds(peer, Run::wholeSeconds)),
                    PipelineBenchmark.stats(seconds(peer, Run::accuracy)));
            System.out.printf(Locale.ROOT, "    %-6s head: ratio peer / paddy training %s   (target >= 1.0)%n", head,
                    PipelineBenchmark.stats(trainingRatios(peer, paddy)));
        }
        System.out.printf(Locale.ROOT, "    paddy training, fastai head / linear head %s   (target <= 1.05)%n",
                PipelineBenchmark.stats(trainingRatios(paddyRuns.get("fastai"), paddyRuns.get("linear"))));
    }

    private static List<Double> seconds(List<Run> runs, ToDoubleFunction<Run> field) {
        return runs.stream().mapToDouble(field).boxed().toList();
    }

    /** Round by round, the training time of {@code numerators}' run over {@code denominators}'. */
    private static List<Double> trainingRatios(List<Run> numerators, List<Run> denominators) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < numerators.size(); i++) {
            ratios.add(numerators.get(i).trainingSeconds / denominators.get(i).trainingSeconds);
        }
        return ratios;
    }

    /** The one-member experiment of {@code head}, beside the data. */
    private static Path manifest(Path work, Path body, String head) throws IOException {
        Path manifest = work.resolve("paddy-" + head + ".yaml");
        Files.writeString(manifest, """
                data:
                  train: data/train_images
                  test: data/test_images
                  sample_submission: data/sample_submission.csv
                  test_labels: data/test_labels.csv
                  valid_pct: 0.2
                defaults:
                  epochs: 5
                  lr: 0.003
                  batch_size: 64
                  item: {resize: squish, size: 36}
                  input_size: 32
                  seed: 42
                members:
                  - name: %s
                    weights: %s
                    head: %s
                    schedule: fine_tune
                tta:
                  n: 4
                  beta: 0.25
                """.formatted(MEMBER, body.toAbsolutePath(), head), StandardCharsets.UTF_8);
        return manifest;
    }

    /** The member in a fresh output folder {@code out}: opened, trained, TTA, ensemble of one, submission. */
    private static Run paddy(Path manifest, Path out) throws Exception {
        ExperimentLog quiet = new ExperimentLog() {
            @Override
            public void info(String message) {}

            @Override
            public void warn(String message) {
                System.out.println("    paddy WARNING " + message);
            }
        };
        long start = System.nanoTime();
        Experiment experiment = Experiment.open(manifest, out, quiet);
        experiment.train(Set.of());
        experiment.tta(Set.of());
        EnsembleResult ensemble = experiment.ensemble();
        experiment.submit();
        double whole = (System.nanoTime() - start) / 1e9;
        // The record's top-level seconds: the member's training time (each epoch has its own too).
        double training = json(Files.readString(experiment.layout().trainingRecord(MEMBER))).get("seconds").getAsDouble();
        return new Run(training, whole, ensemble.accuracy());
    }

    private static JsonObject json(String text) {
        return JsonParser.parseString(text).getAsJsonObject();
    }

    /** The peer script in a fresh output folder, its JSON line read back. */
    private static Run peer(Path work, Path body, String head, int round) throws Exception {
        Path out = Files.createDirectories(work.resolve("peer-" + head + "-" + round));
        Process process = new ProcessBuilder("/usr/bin/python3", Path.of(PEER_SCRIPT).toAbsolutePath().toString(),
                work.resolve("data").toString(), body.toAbsolutePath().toString(), head, out.toString())
                .redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            reader.lines().forEach(lines::add);
        }
        int exit = process.waitFor();
        String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        if (exit != 0 || !last.startsWith("{")) {
            throw new IOException("the peer script failed (exit " + exit + "):\n" + String.join("\n", lines));
        }
        JsonObject fields = json(last);
        return new Run(fields.get("training_s").getAsDouble(), fields.get("whole_s").getAsDouble(),
                fields.get("accuracy").getAsDouble());
    }
}
