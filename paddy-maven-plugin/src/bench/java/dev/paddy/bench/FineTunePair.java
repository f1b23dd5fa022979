package dev.paddy.bench;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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
    private static final Pattern PEER_FIELD = Pattern.compile("\"(\\w+)\": ([0-9.eE+-]+)");

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
        Map<String, List<Run>> runs = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (String head : List.of("fastai", "linear")) {
                Run paddy = paddy(work, body, head, round);
                Run peer = peer(work, body, head, round);
                runs.computeIfAbsent("paddy " + head, k -> new ArrayList<>()).add(paddy);
                runs.computeIfAbsent("peer " + head, k -> new ArrayList<>()).add(peer);
                System.out.printf(Locale.ROOT, "    round %d %-6s paddy training %6.1f s whole %6.1f s acc %.3f |"
                                + " peer training %6.1f s whole %6.1f s acc %.3f | ratio %.2f%n", round + 1, head,
                        paddy.trainingSeconds, paddy.wholeSeconds, paddy.accuracy,
                        peer.trainingSeconds, peer.wholeSeconds, peer.accuracy, peer.trainingSeconds / paddy.trainingSeconds);
            }
        }
        for (String head : List.of("fastai", "linear")) {
            List<Run> paddy = runs.get("paddy " + head);
            List<Run> peer = runs.get("peer " + head);
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < paddy.size(); i++) {
                ratios.add(peer.get(i).trainingSeconds / paddy.get(i).trainingSeconds);
            }
            System.out.printf(Locale.ROOT, "    %-6s head: paddy training %s s, whole %s s, test accuracy %s%n", head,
                    PipelineBenchmark.stats(seconds(paddy, Run::trainingSeconds)),
                    PipelineBenchmark.stats(seconds(paddy, Run::wholeSeconds)),
                    PipelineBenchmark.stats(seconds(paddy, Run::accuracy)));
            System.out.printf(Locale.ROOT, "    %-6s head: peer  training %s s, whole %s s, test accuracy %s%n", head,
                    PipelineBenchmark.stats(seconds(peer, Run::trainingSeconds)),
                    PipelineBenchmark.stats(seconds(peer, Run::wholeSeconds)),
                    PipelineBenchmark.stats(seconds(peer, Run::accuracy)));
            System.out.printf(Locale.ROOT, "    %-6s head: ratio peer / paddy training %s   (target >= 1.0)%n", head,
                    PipelineBenchmark.stats(ratios));
        }
        List<Double> headRatios = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            headRatios.add(runs.get("paddy fastai").get(i).trainingSeconds / runs.get("paddy linear").get(i).trainingSeconds);
        }
        System.out.printf(Locale.ROOT, "    paddy training, fastai head / linear head %s   (target <= 1.05)%n",
                PipelineBenchmark.stats(headRatios));
    }

    private static List<Double> seconds(List<Run> runs, java.util.function.ToDoubleFunction<Run> field) {
        return runs.stream().mapToDouble(field).boxed().toList();
    }

    /** One paddy member from a fresh output folder: opened, trained, TTA, ensemble of one, submission. */
    private static Run paddy(Path work, Path body, String head, int round) throws Exception {
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
                  - name: ft
                    weights: %s
                    head: %s
                    schedule: fine_tune
                tta:
                  n: 4
                  beta: 0.25
                """.formatted(body.toAbsolutePath(), head), StandardCharsets.UTF_8);
        Path out = work.resolve("paddy-" + head + "-" + round);
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
        return new Run(recordedSeconds(out), whole, ensemble.accuracy());
    }

    /** The training time in the member's training.json (its top-level field; each epoch has its own). */
    private static double recordedSeconds(Path out) throws IOException {
        try (Stream<Path> files = Files.walk(out)) {
            Path record = files.filter(p -> p.getFileName().toString().equals("training.json")).findFirst()
                    .orElseThrow(() -> new IOException("no training.json under " + out));
            return JsonParser.parseString(Files.readString(record)).getAsJsonObject().get("seconds").getAsDouble();
        }
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
        Map<String, Double> fields = new LinkedHashMap<>();
        Matcher m = PEER_FIELD.matcher(last);
        while (m.find()) {
            fields.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return new Run(fields.get("training_s"), fields.get("whole_s"), fields.get("accuracy"));
    }
}
