package dev.paddy.experiment;

import dev.paddy.data.DataException;
import dev.paddy.data.ImageFiles;
import dev.paddy.data.LabelsCsv;
import dev.paddy.data.PaddyData;
import dev.paddy.data.Split;
import dev.paddy.data.TargetLabels;
import dev.paddy.data.TestLabels;
import dev.paddy.io.OutputLayout;
import dev.paddy.manifest.Manifest;
import dev.paddy.manifest.ManifestException;
import dev.paddy.manifest.ManifestLoader;
import dev.paddy.manifest.MemberSpec;
import dev.paddy.report.HtmlReport;
import dev.paddy.report.ReportModel;
import dev.paddy.submit.KaggleClient;
import dev.paddy.submit.KaggleCredentials;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A whole experiment, stage by stage: plan memory, train the members, predict the test set with
 * TTA, ensemble, write the submission, upload it. This class only opens the experiment and hands
 * each call to its stage; each stage caches its result under the output folder ({@link OutputLayout})
 * by a hash of everything that determines it ({@link Keys}) and returns what it did and why.
 */
public final class Experiment {
    private final StageContext context;
    private final MemoryStage memory;
    private final LrFindStage lrFind;
    private final TrainingStage training;
    private final TtaStage tta;
    private final EnsembleStage ensemble;
    private final SubmitStage submit;
    private final TargetSubmissions targetSubmissions;
    private final StageRuns runs;
    private final ReportStage report;
    private final UploadStage upload;

    /** How this build reaches beyond the project: options for the probes' JVMs, the team's predictions. */
    public record Options(List<String> probeJvmArgs, SharedPredictions sharedPredictions) {
        public static final Options DEFAULT = new Options(List.of(), SharedPredictions.NONE);
    }

    private Experiment(StageContext context, Options options) {
        this.context = context;
        TrainedModels models = new TrainedModels(context.layout(), context.keys());
        PredictionStore predictions = new PredictionStore(context.layout(), context.data(), context.keys(),
                options.sharedPredictions(), context.log());
        this.memory = new MemoryStage(context, options.probeJvmArgs());
        this.lrFind = new LrFindStage(context);
        this.training = new TrainingStage(context, models, predictions);
        this.tta = new TtaStage(context, models, predictions);
        this.ensemble = new EnsembleStage(context, models, predictions);
        this.submit = new SubmitStage(context);
        this.targetSubmissions = new TargetSubmissions(context, predictions);
        this.runs = new StageRuns(context.layout());
        this.report = new ReportStage(context, models, runs, lrFind);
        this.upload = new UploadStage(context, models);
    }

    public static Experiment open(Path manifestFile, Path outputDir, ExperimentLog log)
            throws ManifestException, DataException, IOException {
        return open(manifestFile, outputDir, log, Options.DEFAULT);
    }

    /**
     * Loads and validates the manifest, scans and fingerprints the data, and gives every member
     * its seed (drawing and recording those with {@code seed: random} the first time); no training yet.
     */
    public static Experiment open(Path manifestFile, Path outputDir, ExperimentLog log, Options options)
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
        Seeds seeds = new Seeds(layout.seeds());
        Map<String, Long> seedByMember = new LinkedHashMap<>();
        for (MemberSpec member : manifest.members()) {
            seedByMember.put(member.name(), seeds.seedFor(member.name(), member.training().seed()));
        }
        checkSplits(manifest, data, seedByMember);
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        Keys keys = new Keys(manifest, data, fingerprint, seedByMember);
        ItemCache items = new ItemCache(data, layout.items(), threads, log);
        return new Experiment(new StageContext(manifest, data, layout, keys, items, log, threads,
                targetLabels(manifest, data)), options);
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

    public Manifest manifest() {
        return context.manifest();
    }

    public PaddyData data() {
        return context.data();
    }

    public OutputLayout layout() {
        return context.layout();
    }

    /**
     * The members named in {@code names} (all when empty), in manifest order, accum resolved from
     * the plan and {@code lr: find} from the lr finder (run now where its curve is missing).
     */
    public List<MemberSpec> members(Set<String> names) throws ExperimentException, IOException {
        return resolved(declared(names));
    }

    /** Probes the selected {@code accum: auto} members whose plan is missing or stale (all with {@code force}). */
    public StageReport planMemory(Set<String> names, boolean force) throws ExperimentException, IOException {
        return planMemory(names, force, true);
    }

    /**
     * As {@link #planMemory(Set, boolean)}; the plan's table is printed when a member was probed,
     * or with {@code printCached} (the goal's own run) when none needed it.
     */
    private StageReport planMemory(Set<String> names, boolean force, boolean printCached)
            throws ExperimentException, IOException {
        long start = System.nanoTime();
        StageReport report = memory.plan(declared(names), force, printCached);
        // Without a budget there is nothing to plan: no run to report.
        return manifest().budget().isPresent() ? runs.record(report, start) : report;
    }

    /**
     * Runs the lr finder for the selected members (every one, whatever its lr) whose curve for
     * their current configuration is missing (all with {@code force}), and prints the suggestions.
     */
    public StageReport lrFind(Set<String> names, boolean force) throws ExperimentException, IOException {
        planMemory(names, false, false); // probe-memory printed the table, unless it probes now
        long start = System.nanoTime();
        List<MemberSpec> members = new ArrayList<>();
        for (MemberSpec member : declared(names)) {
            members.add(memory.resolve(member));
        }
        return runs.record(lrFind.run(members, force), start);
    }

    /** Plans memory where needed, then trains each selected member whose weights are not cached. */
    public StageReport train(Set<String> names) throws ExperimentException, IOException {
        planMemory(names, false, false); // probe-memory printed the table, unless it probes now
        long start = System.nanoTime();
        return runs.record(training.run(members(names)), start);
    }

    /** Predicts the test set with TTA for each selected member whose predictions are not cached. */
    public StageReport tta(Set<String> names) throws ExperimentException, IOException {
        long start = System.nanoTime();
        return runs.record(tta.run(members(names)), start);
    }

    public List<PredictionsArtifact> predictionsArtifacts(Set<String> names) throws ExperimentException, IOException {
        return tta.artifacts(members(names));
    }

    public EnsembleResult ensemble() throws ExperimentException, IOException {
        long start = System.nanoTime();
        EnsembleResult result = ensemble.run(resolved(manifest().ensembleMembers()));
        runs.record(new StageReport("ensemble", List.of()), start);
        return result;
    }

    /**
     * Writes the submission CSV from the last ensemble (computed now when it is missing or stale),
     * and beside it a CSV for each target after the folder label that ensemble members predict.
     */
    public Path submit() throws ExperimentException, IOException {
        long start = System.nanoTime();
        Optional<float[][]> last = submit.lastEnsemble();
        Path file = submit.run(last.isPresent() ? last.get() : ensemble().probabilities());
        if (manifest().ensembleMembers().stream().anyMatch(m -> !m.training().moreTargets().isEmpty())) {
            targetSubmissions.run(resolved(manifest().ensembleMembers()));
        }
        runs.record(new StageReport("submit", List.of()), start);
        return file;
    }

    /** Writes the HTML report from what the stages recorded; trains and predicts nothing. */
    public Path report() throws IOException {
        HtmlReport.write(reportModel(), layout().report());
        return layout().report();
    }

    ReportModel reportModel() throws IOException {
        return report.model();
    }

    /**
     * Sends the submission CSV to the manifest's competition through the Kaggle API at
     * {@code kaggleUrl}, with the first credential {@code credentials} finds; without one, or with
     * {@code dryRun}, logs what would be sent and sends nothing. Empty when nothing was sent.
     */
    public Optional<KaggleClient.Receipt> upload(String kaggleUrl, KaggleCredentials credentials, boolean dryRun)
            throws ExperimentException, IOException {
        return upload.run(kaggleUrl, credentials, dryRun);
    }

    /** The member's current training and TTA keys. */
    Keys.MemberKeys keys(MemberSpec member) throws IOException {
        return context.keys().of(member);
    }

    private List<MemberSpec> resolved(List<MemberSpec> declared) throws ExperimentException, IOException {
        List<MemberSpec> resolved = new ArrayList<>();
        for (MemberSpec member : declared) {
            resolved.add(lrFind.resolve(memory.resolve(member)));
        }
        return resolved;
    }

    private List<MemberSpec> declared(Set<String> names) throws ExperimentException {
        Manifest manifest = manifest();
        for (String name : names) {
            if (manifest.member(name).isEmpty()) {
                throw new ExperimentException("no member named '" + name + "' in " + manifest.file() + "; members: "
                        + String.join(", ", manifest.members().stream().map(MemberSpec::name).toList()));
            }
        }
        return manifest.members().stream().filter(m -> names.isEmpty() || names.contains(m.name())).toList();
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
