package dev.paddy.experiment;

import dev.paddy.data.DataException;
import dev.paddy.data.ImageFiles;
import dev.paddy.data.LabelsCsv;
import dev.paddy.data.PaddyData;
import dev.paddy.data.Split;
import dev.paddy.data.TargetLabels;
import dev.paddy.data.TestLabels;
import dev.paddy.io.MachineCache;
import dev.paddy.io.OutputLayout;
import dev.paddy.manifest.Manifest;
import dev.paddy.manifest.ManifestException;
import dev.paddy.manifest.ManifestLoader;
import dev.paddy.manifest.MemberSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Opens an experiment: the validated manifest, the scanned and fingerprinted data, every member's
 * seed and keys, and the checks that can fail before any training, as the {@link StageContext}
 * that every stage reads.
 */
final class ExperimentOpening {
    private ExperimentOpening() {}

    /**
     * Loads and validates the manifest, scans and fingerprints the data, and gives every member
     * its seed (drawing and recording those with {@code seed: random} the first time); no training yet.
     * The test labels and every member's split are checked here, so that a problem with them fails
     * the build before any training.
     */
    static StageContext open(Path manifestFile, Path outputDir, MachineCache cache, ExperimentLog log)
            throws ManifestException, DataException, IOException {
        Manifest manifest = ManifestLoader.load(manifestFile);
        var spec = manifest.data();
        PaddyData data = PaddyData.scan(spec.train(), spec.test(), spec.sampleSubmission());
        if (spec.testLabels().isPresent()) {
            // Read now so that a problem with them fails the build before training, not at the ensemble.
            TestLabels.read(spec.testLabels().get(), data.testIds(), data.vocabulary());
        }
        OutputLayout layout = new OutputLayout(outputDir);
        List<Path> files = new ArrayList<>(data.trainFiles());
        files.addAll(data.test());
        files.add(spec.sampleSubmission());
        String fingerprint = DataFingerprint.of(manifest.file().getParent(), files, layout.fingerprints());
        log.info(String.format(Locale.ROOT, "data: %d training images in %d classes, %d test images (fingerprint %s)",
                data.train().size(), data.vocabulary().size(), data.test().size(), Keys.shown(fingerprint)));
        warnIgnored(spec.train(), spec.test(), log);
        Map<String, TargetLabels> targets = targetLabels(manifest, data);
        warnFormulaLike(data.vocabulary(), targets.values(), log);
        Seeds seeds = new Seeds(layout.seeds());
        Map<String, Long> seedByMember = new LinkedHashMap<>();
        for (MemberSpec member : manifest.members()) {
            seedByMember.put(member.name(), seeds.seedFor(member.name(), member.training().seed()));
        }
        checkSplits(manifest, data, seedByMember);
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        Keys keys = new Keys(manifest, data, fingerprint, seedByMember);
        ItemCache items = new ItemCache(data, cache.items().orElse(layout.items()), threads, log);
        return new StageContext(manifest, data, layout, cache, keys, items, log, threads, targets);
    }

    /** The labels of every target after the folder label that a member names, from {@code data.labels}. */
    private static Map<String, TargetLabels> targetLabels(Manifest manifest, PaddyData data) throws DataException {
        Map<String, TargetLabels> targets = new LinkedHashMap<>();
        List<String> names = manifest.members().stream().flatMap(m -> m.training().moreTargets().stream()).distinct()
                .toList();
        if (!names.isEmpty()) {
            LabelsCsv csv = LabelsCsv.read(manifest.data().labels().orElseThrow()); // the manifest requires it
            for (String name : names) {
                targets.put(name, csv.target(name, data.trainFiles()));
            }
        }
        return targets;
    }

    /**
     * Warns about class names that a spreadsheet would run as a formula when it opens the
     * submission (CSV injection: a leading '=', '+', '-' or '@'); Kaggle reads them as text, so they
     * are written as they are. A number such as "-1" is no formula.
     */
    private static void warnFormulaLike(List<String> classes, Iterable<TargetLabels> targets, ExperimentLog log) {
        List<String> all = new ArrayList<>(classes);
        targets.forEach(target -> all.addAll(target.vocabulary()));
        List<String> formulas = all.stream().distinct().filter(c -> !c.isEmpty() && "=+-@".indexOf(c.charAt(0)) >= 0
                && !c.matches("[-+]?[0-9]*\\.?[0-9]+([eE][-+]?[0-9]+)?")).map(c -> "'" + c + "'").toList();
        if (!formulas.isEmpty()) {
            log.warn("class name(s) " + String.join(", ", formulas) + " start with '=', '+', '-' or '@': Kaggle reads"
                    + " them as text, but a spreadsheet opening the submission may run them as formulas; rename them if"
                    + " the CSV will be opened in one");
        }
    }

    /** Names the files in the class folders and the test folder that are not images (system files aside), up to 20. */
    private static void warnIgnored(Path train, Path test, ExperimentLog log) {
        List<Path> folders = new ArrayList<>(ImageFiles.subfolders(train));
        folders.add(test);
        List<String> ignored = folders.stream().flatMap(f -> ImageFiles.ignored(f).stream())
                .map(ImageFiles::describeIgnored).toList();
        if (!ignored.isEmpty()) { // the first 20: a folder of thousands of .webp files needs no more to be seen
            log.warn(ignored.size() + " file(s) in the data folders are not images (" + String.join(", ",
                    ImageFiles.EXTENSIONS) + ") and are ignored:\n  " + String.join("\n  ", ignored.subList(0,
                    Math.min(20, ignored.size()))) + (ignored.size() > 20 ? "\n  and " + (ignored.size() - 20) + " more" : ""));
        }
    }

    /**
     * Refuses, before any training, a valid_pct that leaves no validation image, or that leaves a
     * class without a training image in some member's split (the member could never learn it).
     * Each member splits with its own seed, so each member's split is checked.
     */
    private static void checkSplits(Manifest manifest, PaddyData data, Map<String, Long> seeds) throws DataException {
        int[] labels = data.trainLabels();
        List<String> classes = data.vocabulary();
        int[] images = new int[classes.size()];
        for (int label : labels) {
            images[label]++;
        }
        double validPct = manifest.data().validPct();
        String where = manifest.file() + ": data.valid_pct " + validPct;
        List<String> problems = new ArrayList<>();
        if (Math.round(labels.length * validPct) == 0) {
            problems.add(where + " of " + labels.length + " training images is not one validation image; raise"
                    + " valid_pct or add images");
        }
        for (Map.Entry<String, Long> member : seeds.entrySet()) {
            int[] kept = Split.random(labels.length, validPct, member.getValue()).trainCounts(labels, classes.size());
            for (int c = 0; c < kept.length; c++) {
                if (kept[c] == 0) {
                    problems.add(where + " leaves class '" + classes.get(c) + "' (" + images[c] + " image"
                            + (images[c] == 1 ? "" : "s") + ") with no training image in the split of member '"
                            + member.getKey() + "' (seed " + member.getValue() + "); lower valid_pct or add images to "
                            + manifest.data().train().resolve(classes.get(c)));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new DataException(problems);
        }
    }
}
