package dev.paddy.experiment;

import dev.paddy.data.ItemImages;
import dev.paddy.data.Split;
import dev.paddy.engine.Engines;
import dev.paddy.engine.RunEnvironment;
import dev.paddy.io.Checksums;
import dev.paddy.io.OutputLayout;
import dev.paddy.manifest.TrainingSpec;
import dev.paddy.memory.MemoryBudget;
import dev.paddy.model.BodyFileException;
import dev.paddy.predict.Interpretation;
import dev.paddy.train.Checkpoints;
import dev.paddy.train.EpochMetrics;
import dev.paddy.train.Learner;
import dev.paddy.train.MemberTrainer;
import dev.paddy.train.Schedule;
import dev.paddy.train.TrainingConfig;
import dev.paddy.train.TrainingListener;
import dev.paddy.train.WeightsFileException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Trains each member whose weights for its current key are not on disk, unless its TTA
 * predictions are at hand (then no weights are needed), and writes its {@code training.json}.
 * Every test image, every class's training images and every initial weights file are checked
 * before the first member trains.
 */
final class TrainingStage {
    /** Validation images kept as the member's top losses, as fastai's plot_top_losses shows 9. */
    private static final int TOP_LOSSES = 9;

    private final StageContext context;
    private final TrainedModels models;
    private final PredictionStore predictions;
    private final MemberRecipe recipe;
    private final MemberRunner runner;

    TrainingStage(StageContext context, TrainedModels models, PredictionStore predictions, MemberRunner runner) {
        this.context = context;
        this.models = models;
        this.predictions = predictions;
        this.recipe = new MemberRecipe(context);
        this.runner = runner;
    }

    StageReport run(List<ResolvedMember> members) throws ExperimentException, IOException {
        List<StageReport.Entry> entries = new ArrayList<>();
        Map<ResolvedMember, Reason> toTrain = new LinkedHashMap<>();
        for (ResolvedMember member : members) {
            Optional<Reason> why = models.whyTrain(member);
            if (why.isEmpty()) {
                String key = Keys.shown(member.keys().training());
                context.log().info(member.name() + ": cached (weights for key " + key + ")");
                entries.add(new StageReport.Entry(member.name(), StageReport.Outcome.CACHED,
                        new Reason.Kept("weights for key " + key)));
                continue;
            }
            Optional<PredictionStore.Found> found = predictions.obtain(member);
            if (found.isPresent()) {
                if (why.get() instanceof Reason.Damaged damaged) { // said once, and the damaged file goes: it is never used
                    context.log().warn(member.name() + ": " + damaged.text() + "; removed, not used: its TTA predictions"
                            + " for this configuration are at hand, so it needs no weights");
                    Files.deleteIfExists(damaged.file());
                }
                context.log().info(member.name() + ": cached (its TTA predictions for this configuration are at hand:"
                        + " no weights needed)");
                entries.add(found.get().fromCache()
                        ? new StageReport.Entry(member.name(), StageReport.Outcome.CACHED,
                                new Reason.Kept("TTA predictions at hand"))
                        : new StageReport.Entry(member.name(), StageReport.Outcome.RESOLVED,
                                new Reason.Kept(found.get().source())));
            } else {
                toTrain.put(member, why.get());
            }
        }
        if (!toTrain.isEmpty()) {
            preflight(List.copyOf(toTrain.keySet()));
            List<MemberRunner.Job> jobs = new ArrayList<>();
            for (Map.Entry<ResolvedMember, Reason> member : toTrain.entrySet()) {
                ResolvedMember m = member.getKey();
                context.log().event(new StageEvent.Runs(StageId.TRAIN, m.name(), member.getValue()));
                jobs.add(MemberRunner.Job.of(WorkerJob.Task.TRAIN, m.spec(), m.keys().training(), () -> trainHere(m)));
                entries.add(new StageReport.Entry(m.name(), StageReport.Outcome.RAN, member.getValue()));
            }
            runner.run(jobs);
        }
        return new StageReport(StageId.TRAIN, order(entries, members));
    }

    /**
     * Everything that can be known to fail before any time is spent training: test images, a class
     * left without a usable training image, initial weights (checked as the members will load them:
     * in one worker for all, when they train in workers).
     */
    private void preflight(List<ResolvedMember> members) throws ExperimentException, IOException {
        for (ResolvedMember member : members) { // every transform sees the same files: the first lists all bad test images
            context.items().test(member.training().item());
            context.items().training(member.training().item());
        }
        List<ResolvedMember> loaded = members.stream()
                .filter(m -> m.model().pretrainedBody() || m.initialWeights().isPresent()).toList();
        if (!loaded.isEmpty()) {
            runner.run(List.of(new MemberRunner.Job(WorkerJob.check(
                    loaded.stream().map(ResolvedMember::name).toList(), loaded.get(0).keys().training()),
                    loaded.get(0).training().numerics(), () -> checkWeights(loaded))));
        }
    }

    /** Loads each member's pretrained body or initial weights into its model: a file that does not fit fails here. */
    void checkWeights(List<ResolvedMember> members) throws ExperimentException {
        for (ResolvedMember member : members) {
            if (member.model().pretrainedBody()) {
                try (Learner learner = Learner.of(member.model()).classes(context.targetsOf(member.spec()).classes())
                        .inputSize(member.training().inputSize()).device(Engines.device()).build()) {
                    // loads, and its output is features
                } catch (BodyFileException e) {
                    throw new ExperimentException("member '" + member.name() + "', weights: " + e.getMessage(), e);
                }
            } else if (member.initialWeights().isPresent()) {
                Path weights = member.initialWeights().get();
                try (Learner learner = Learner.of(member.model()).classes(context.targetsOf(member.spec()).classes())
                        .inputSize(member.training().inputSize()).device(Engines.device()).weights(weights).build()) {
                    // loads, so it fits
                } catch (WeightsFileException e) {
                    throw new ExperimentException("member '" + member.name() + "', weights: " + e.getMessage()
                            + ". Point 'weights:' at a model.params that paddy wrote for a " + member.arch()
                            + " with " + classes(member) + ", or remove the key to train from scratch", e);
                }
            }
        }
    }

    /** The epochs the log counts: fine_tune's frozen ones come first and are counted with them. */
    private static String epochs(TrainingSpec t) {
        return t.schedule() == Schedule.FINE_TUNE && t.freezeEpochs() > 0
                ? t.freezeEpochs() + " frozen + " + t.epochs() + " unfrozen epochs" : t.epochs() + " epochs";
    }

    /** Trains {@code member} in this JVM and writes its weights and record (a worker's job, or the build's without workers). */
    void trainHere(ResolvedMember member) throws ExperimentException, IOException {
        MemberTrainer trainer = new MemberTrainer(context.threads(), Engines.device());
        Keys.MemberKeys keys = member.keys();
        String name = member.name();
        Files.createDirectories(context.layout().memberDir(name));
        // training.json stays until the new one replaces it: its inputs explain the next change,
        // and the model checksum it records keeps a half-written retrain from looking cached.
        ItemImages items = context.items().training(member.training().item());
        Split split = recipe.split(items, member.seed());
        var t = member.training();
        context.log().info(String.format(Locale.ROOT, "%s: training %s (seed %d): %d train / %d valid images, %s,"
                        + " batch %d = %d x %d micro-batches, %s, lr %s, %s%s",
                name, member.model().describe() + (member.model().pretrainedBody()
                        ? " (sha256 " + Keys.shown(keys.trainingInputs().get("body")) + ")" : ""), keys.seed(), split.train().length, split.valid().length, epochs(t),
                t.batchSize(), member.accum(), member.microBatchSize(), t.schedule().name().toLowerCase(Locale.ROOT),
                t.lrFind() ? String.format(Locale.ROOT, "%.2e (lr finder's valley)", member.lr()) : member.lr(), t.item(),
                t.moreTargets().isEmpty() ? "" : ", targets " + String.join(" + ", t.targets()) + " (" + classes(member)
                        + "), loss the sum of their cross-entropies"));
        TrainingConfig config = recipe.config(member);
        Path model = context.layout().model(name);
        int[] labels = context.data().trainLabels();
        Checkpoints checkpoints = new Checkpoints(context.layout().checkpointDir(name), keys.training());
        MemberTrainer.Result result;
        try {
            result = trainer.train(config, items, recipe.labels(member.spec()), split, model, checkpoints, progressLog());
        } catch (RuntimeException | OutOfMemoryError e) {
            throw MemberOutOfMemory.failure(member, "training", e,
                    Files.isRegularFile(OutputLayout.checkpointProgress(context.layout().checkpointDir(name))));
        }
        double peakMiB = result.peakMemoryBytes() / (double) (1 << 20);
        int[] validLabels = Arrays.stream(split.valid()).map(i -> labels[i]).toArray();
        models.write(new TrainingRecord(keys.training(), name, keys.trainingInputs(), context.data().vocabulary(),
                result.epochs(), result.errorRate(), result.seconds(), result.imagesPerSecond(), result.trainImages(),
                result.validImages(), items.failures(), peakMiB, result.memoryMeasure(), Checksums.of(model),
                trainedBy(), config.schedule(result.trainImages()),
                Interpretation.confusion(validLabels, result.validProbabilities(), context.data().vocabulary().size()),
                topLosses(split, validLabels, result.validProbabilities()), RunEnvironment.current(t.numerics().inForceHere())));
        checkpoints.clear(); // only now: a kill before the record was written resumes from the last epoch
        context.log().info(String.format(Locale.ROOT, "%s: trained in %.1f s, error_rate %.4f%s on its valid split,"
                        + " %.0f img/s, peak memory %.1f MiB over baseline (%s)%s", name, result.seconds(),
                result.errorRate(), moreErrorRates(result.epochs().get(result.epochs().size() - 1)),
                result.imagesPerSecond(), peakMiB, result.memoryMeasure(),
                context.manifest().budget().map(b -> ", limit " + MemoryBudget.format(b.limit())).orElse("")));
    }

    /** The validation images the member got most wrong, with their files and class names. */
    private List<TrainingRecord.TopLoss> topLosses(Split split, int[] validLabels, float[][] probabilities) {
        List<String> vocabulary = context.data().vocabulary();
        return Interpretation.topLosses(validLabels, probabilities, TOP_LOSSES).stream()
                .map(l -> new TrainingRecord.TopLoss(context.data().train().get(split.valid()[l.index()]).file().toString(),
                        vocabulary.get(l.actual()), vocabulary.get(l.predicted()), l.probability(), l.loss()))
                .toList();
    }

    /** Which build trained a member: host, user and time, so a team's report can tell its runners apart. */
    private static String trainedBy() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown host";
        }
        return host + " (" + System.getProperty("user.name") + ") at " + Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    private TrainingListener progressLog() {
        ExperimentLog log = context.log();
        return new TrainingListener() {
            @Override
            public void onEpoch(EpochReport r) {
                log.info(String.format(Locale.ROOT,
                        "%s epoch %d/%d  train_loss %.4f  valid_loss %.4f  error_rate %.4f%s  %.0f img/s  %.1f s  ETA %s",
                        r.member(), r.epoch(), r.epochs(), r.metrics().trainLoss(), r.metrics().validLoss(),
                        r.metrics().errorRate(), moreErrorRates(r.metrics()), r.metrics().imagesPerSecond(),
                        r.metrics().seconds(), duration(r.etaSeconds())));
            }

            @Override
            public void onNote(String member, String message) {
                log.info(member + ": " + message);
            }

            @Override
            public void onWarning(String member, String message) {
                log.warn(member + ": " + message);
            }

            @Override
            public void onProgress(String member, int epoch, int epochs, int done, int images, double ips) {
                log.info(String.format(Locale.ROOT, "%s epoch %d/%d  %d/%d images  %.0f img/s",
                        member, epoch, epochs, done, images, ips));
            }
        };
    }

    /** " (variety 0.0456)": the error rates of the targets after the first; "" for a single target. */
    static String moreErrorRates(EpochMetrics metrics) {
        if (metrics.moreErrorRates() == null || metrics.moreErrorRates().isEmpty()) {
            return "";
        }
        List<String> rates = new ArrayList<>();
        metrics.moreErrorRates().forEach((target, rate) -> rates.add(String.format(Locale.ROOT, "%s %.4f", target, rate)));
        return " (" + String.join(", ", rates) + ")";
    }

    /** "10 classes", or with several targets "10 + 2 classes". */
    private String classes(ResolvedMember member) {
        return String.join(" + ", Arrays.stream(context.targetsOf(member.spec()).classes()).mapToObj(Integer::toString).toList())
                + " classes";
    }

    /** The entries in the members' order. */
    private static List<StageReport.Entry> order(List<StageReport.Entry> entries, List<ResolvedMember> members) {
        return members.stream().map(m -> entries.stream().filter(e -> e.member().equals(m.name())).findFirst().orElseThrow())
                .toList();
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
