package dev.paddy.experiment;

import dev.paddy.data.DataException;
import dev.paddy.data.PaddyData;
import dev.paddy.engine.Numerics;
import dev.paddy.io.MachineCache;
import dev.paddy.io.OutputLayout;
import dev.paddy.manifest.Manifest;
import dev.paddy.manifest.ManifestException;
import dev.paddy.manifest.MemberSpec;
import dev.paddy.report.HtmlReport;
import dev.paddy.report.ReportModel;
import dev.paddy.submit.KaggleClient;
import dev.paddy.submit.KaggleCredentials;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A whole experiment, stage by stage ({@link StageId}): plan memory, find learning rates, train
 * the members, predict the test set with TTA, ensemble, write the submission, upload it. This class
 * only opens the experiment, resolves the members ({@link MemberResolver}) and hands each call to
 * its stage, recording the stage's run for the report; each stage caches its result under the
 * output folder ({@link OutputLayout}) by a hash of everything that determines it ({@link Keys})
 * and returns what it did and why. The stages' native work for each member runs where
 * {@link Options#workers()} says ({@link MemberRunner}): a worker JVM per member in a build.
 */
public final class Experiment {
    private final StageContext context;
    private final MemberResolver resolver;
    private final MemoryStage memory;
    private final LrFindStage lrFind;
    private final TrainingStage training;
    private final TtaStage tta;
    private final ExportStage export;
    private final EnsembleStage ensemble;
    private final SubmitStage submit;
    private final TargetSubmissions targetSubmissions;
    private final StageRuns runs;
    private final ReportStage report;
    private final UploadStage upload;
    private final PredictStage predict;

    /**
     * How this build reaches beyond the project: options for the probes' JVMs, the team's
     * predictions, and the machine's cache of stage results outside the output folder.
     */
    public record Options(List<String> probeJvmArgs, SharedPredictions sharedPredictions, MachineCache cache,
                          Workers workers) {
        /** No probe options, no team, no machine cache, no workers: everything stays in the output folder and this JVM. */
        public static final Options DEFAULT = new Options(List.of(), SharedPredictions.NONE, MachineCache.OFF);

        /** The members' native work in this JVM. */
        public Options(List<String> probeJvmArgs, SharedPredictions sharedPredictions, MachineCache cache) {
            this(probeJvmArgs, sharedPredictions, cache, Workers.NONE);
        }
    }

    /**
     * Where the lr finder, training and TTA run for each member: in a worker JVM of its own (what a
     * build does: {@code numerics: portable} and {@code parallel:} need it, and a crash or an
     * out-of-memory fails only its member), or, with {@link #NONE}, in this JVM.
     *
     * @param jvmArgs the workers' extra JVM options
     * @param environment variables set in the workers' environment before the member's numerics
     *     set theirs (which win): a test stands in for another machine with them
     */
    public record Workers(boolean enabled, List<String> jvmArgs, Map<String, String> environment) {
        public static final Workers NONE = new Workers(false, List.of(), Map.of());

        public Workers {
            jvmArgs = List.copyOf(jvmArgs);
            environment = Map.copyOf(environment);
        }

        public static Workers of(List<String> jvmArgs) {
            return new Workers(true, jvmArgs, Map.of());
        }
    }

    /** A stage's work: what it returns, a {@link StageReport} or its own result. */
    @FunctionalInterface
    private interface StageCall<T> {
        T run() throws ExperimentException, IOException;
    }

    private Experiment(StageContext context, Options options) {
        this.context = context;
        TrainedModels models = new TrainedModels(context.layout(), context.cache(), context.log());
        PredictionStore predictions = new PredictionStore(context.layout(), context.cache(), context.data(),
                options.sharedPredictions(), context.log());
        MemberRunner runner = options.workers().enabled()
                ? new WorkerProcesses(context, options.probeJvmArgs(), options.workers())
                : new MemberRunner.InProcess(context.log());
        this.memory = new MemoryStage(context, options.probeJvmArgs());
        this.lrFind = new LrFindStage(context, memory, runner);
        this.resolver = new MemberResolver(context, memory, lrFind);
        this.training = new TrainingStage(context, models, predictions, runner);
        MemberTta memberTta = new MemberTta(context);
        this.tta = new TtaStage(context, models, predictions, memberTta, runner);
        this.predict = new PredictStage(context, models, predictions, memberTta, runner);
        this.export = new ExportStage(context, models, predictions);
        this.ensemble = new EnsembleStage(context, models, predictions);
        this.submit = new SubmitStage(context);
        this.targetSubmissions = new TargetSubmissions(context, predictions);
        this.runs = new StageRuns(context.layout());
        this.report = new ReportStage(context, models, runs, lrFind, resolver);
        this.upload = new UploadStage(context, models, resolver);
    }

    public static Experiment open(Path manifestFile, Path outputDir, ExperimentLog log)
            throws ManifestException, DataException, IOException {
        return open(manifestFile, outputDir, log, Options.DEFAULT);
    }

    /** Opens the experiment ({@link ExperimentOpening}): all checked that can be, nothing trained yet. */
    public static Experiment open(Path manifestFile, Path outputDir, ExperimentLog log, Options options)
            throws ManifestException, DataException, IOException {
        return new Experiment(ExperimentOpening.open(manifestFile, outputDir, options.cache(), log), options);
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

    /** The members named in {@code names} (all when empty), resolved from the plan and curves on disk. */
    List<ResolvedMember> members(Set<String> names) throws ExperimentException, IOException {
        return resolver.resolve(resolver.declared(names), StageId.TTA);
    }

    /** Probes the selected {@code accum: auto} members whose plan is missing or stale (all with {@code force}). */
    public StageReport planMemory(Set<String> names, boolean force) throws ExperimentException, IOException {
        return planMemory(names, force, true);
    }

    /** As above; the plan's table is printed when a member was probed, or with {@code printCached}. */
    private StageReport planMemory(Set<String> names, boolean force, boolean printCached)
            throws ExperimentException, IOException {
        List<MemberSpec> members = resolver.declared(names);
        if (manifest().budget().isEmpty()) { // nothing to plan: no run to record
            return memory.plan(members, force, printCached);
        }
        return recorded(StageId.PROBE_MEMORY, () -> memory.plan(members, force, printCached));
    }

    /**
     * Runs the lr finder for the selected members (with {@code onlyLrFind}, those with {@code lr:
     * find} alone) whose curve is missing (all with {@code force}), and prints the suggestions.
     */
    public StageReport lrFind(Set<String> names, boolean force, boolean onlyLrFind)
            throws ExperimentException, IOException {
        planMemory(names, false, false); // probe-memory printed the table, unless it probes now
        List<MemberSpec> members = resolver.declared(names).stream()
                .filter(m -> !onlyLrFind || m.training().lrFind()).toList();
        return recorded(StageId.LR_FIND, () -> lrFind.run(members, force));
    }

    /**
     * Plans memory and runs the lr finder where needed (the finder only for {@code lr: find}
     * members without a curve), then trains each selected member whose weights are not cached.
     */
    public StageReport train(Set<String> names) throws ExperimentException, IOException {
        planMemory(names, false, false); // probe-memory printed the table, unless it probes now
        List<MemberSpec> members = resolver.declared(names);
        long start = System.nanoTime();
        StageReport found = lrFind.runMissing(members.stream().filter(m -> m.training().lrFind()).toList());
        if (!found.ran().isEmpty()) {
            runs.record(found, start);
        }
        return recorded(StageId.TRAIN, () -> training.run(resolver.resolve(members, StageId.TRAIN)));
    }

    /** Predicts the test set with TTA for each selected member whose predictions are not cached. */
    public StageReport tta(Set<String> names) throws ExperimentException, IOException {
        return recorded(StageId.TTA, () -> tta.run(resolver.resolve(resolver.declared(names), StageId.TTA)));
    }

    /**
     * Writes each selected member's trained model in DJL's model-zoo layout and zips it, unless the
     * zip is current; trains nothing (the weights must be there, unless the member's TTA predictions
     * are at hand: then it is left out, as this build did not train it).
     *
     * @return each member's zip, by member name, in manifest order
     */
    public Map<String, Path> export(Set<String> names) throws ExperimentException, IOException {
        Map<String, Path> zips = new LinkedHashMap<>();
        for (ExportStage.Exported e : export.run(resolver.resolve(resolver.declared(names), StageId.EXPORT))) {
            zips.put(e.member(), e.zip());
        }
        return zips;
    }

    public List<PredictionsArtifact> predictionsArtifacts(Set<String> names) throws ExperimentException, IOException {
        return tta.artifacts(members(names));
    }

    public EnsembleResult ensemble() throws ExperimentException, IOException {
        return recorded(StageId.ENSEMBLE, () -> ensemble.run(ensembleMembers(StageId.ENSEMBLE)));
    }

    /**
     * Writes the submission CSV from the last ensemble (computed now when it is missing or stale),
     * and beside it a CSV for each target after the folder label that ensemble members predict.
     */
    public Path submit() throws ExperimentException, IOException {
        return recorded(StageId.SUBMIT, () -> {
            Optional<float[][]> last = submit.lastEnsemble();
            Path file = submit.run(last.isPresent() ? last.get() : ensemble().probabilities());
            if (manifest().ensembleMembers().stream().anyMatch(m -> !m.training().moreTargets().isEmpty())) {
                targetSubmissions.run(ensembleMembers(StageId.SUBMIT));
            }
            return file;
        });
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
     * {@code kaggleUrl} (through the JVM's proxy, not awaiting the score), with the first credential {@code credentials} finds; on a dry run, or without a
     * credential in an interactive build, logs what would be sent and sends nothing. Offline, or in
     * batch mode without a credential, it fails instead ({@link UploadMode}). Empty when nothing was sent.
     */
    public Optional<KaggleClient.Receipt> upload(String kaggleUrl, KaggleCredentials credentials, UploadMode mode)
            throws ExperimentException, IOException {
        return upload(KaggleClient.Connection.of(kaggleUrl), credentials, mode);
    }

    /**
     * As {@link #upload(String, KaggleCredentials, UploadMode)}, through the connection's proxy, and
     * then awaiting Kaggle's score as the connection's polling says (logging the submission's status
     * and public score).
     */
    public Optional<KaggleClient.Receipt> upload(KaggleClient.Connection kaggle, KaggleCredentials credentials,
                                                 UploadMode mode) throws ExperimentException, IOException {
        return upload.run(kaggle, credentials, mode);
    }

    /**
     * Classifies every image in {@code folder} and its sub-folders with the ensemble's trained
     * members (those of {@code names} when not empty), each with its item transform and TTA as for
     * the test set, averaged with the ensemble's weights, and writes {@code csv} (the default, null:
     * {@code predict/<folder's name>.csv} under the output folder). Trains nothing: a member without
     * trained weights fails before any image is read. Not recorded as a stage of the recipe.
     */
    public FolderPredictions predict(Path folder, Path csv, Set<String> names) throws ExperimentException, IOException {
        List<ResolvedMember> members = names.isEmpty() ? ensembleMembers(StageId.PREDICT)
                : resolver.resolve(resolver.declared(names), StageId.PREDICT);
        Path absolute = folder.toAbsolutePath().normalize();
        Path file = csv != null ? csv : layout().predicted(
                absolute.getFileName() == null ? "root" : absolute.getFileName().toString());
        return predict.run(members, absolute, file);
    }

    /** As above, with the ensemble's members. */
    public FolderPredictions predict(Path folder, Path csv) throws ExperimentException, IOException {
        return predict(folder, csv, Set.of());
    }

    private List<ResolvedMember> ensembleMembers(StageId stage) throws ExperimentException, IOException {
        return resolver.resolve(manifest().ensembleMembers(), stage);
    }

    /**
     * Does a worker's job in this JVM ({@link MemberWorker}): resolves its members as the build did,
     * checks that they come to the build's key, and runs the stage's work for them.
     */
    void runHere(WorkerJob job) throws ExperimentException, IOException {
        List<MemberSpec> specs = resolver.declared(Set.copyOf(job.members()));
        switch (job.task()) {
            case LR_FIND -> {
                MemberSpec member = specs.get(0);
                int accum = memory.accum(member, StageId.LR_FIND);
                sameKey(job, context.keys().lrFind(member, accum));
                lrFind.findHere(member, accum, job.key());
            }
            case CHECK_WEIGHTS -> training.checkWeights(resolver.resolve(specs, StageId.TRAIN));
            case TRAIN -> {
                ResolvedMember member = resolver.resolve(specs, StageId.TRAIN).get(0);
                sameKey(job, member.keys().training());
                training.trainHere(member);
            }
            case TTA -> {
                ResolvedMember member = resolver.resolve(specs, StageId.TTA).get(0);
                sameKey(job, member.keys().tta());
                tta.predictHere(member);
            }
            case PREDICT -> {
                ResolvedMember member = resolver.resolve(specs, StageId.PREDICT).get(0);
                sameKey(job, member.keys().tta());
                predict.predictHere(member, Path.of(job.folder()));
            }
        }
    }

    /** The numerics the job's member asks for. */
    Numerics numerics(WorkerJob job) throws ExperimentException {
        return resolver.declared(Set.of(job.member())).get(0).training().numerics();
    }

    private static void sameKey(WorkerJob job, String key) throws ExperimentException {
        if (!key.equals(job.key())) {
            throw new ExperimentException("member '" + job.member() + "' resolves to key " + Keys.shown(key)
                    + " in its worker, not to the build's " + Keys.shown(job.key()) + ": a file it reads (the"
                    + " manifest, the memory plan, an lr finder curve) changed during the build; build again");
        }
    }

    /** Runs {@code call} as {@code stage} and records its run (its report, or an empty one) for the report. */
    private <T> T recorded(StageId stage, StageCall<T> call) throws ExperimentException, IOException {
        long start = System.nanoTime();
        T result = call.run();
        runs.record(result instanceof StageReport report ? report : new StageReport(stage, List.of()), start);
        return result;
    }
}
