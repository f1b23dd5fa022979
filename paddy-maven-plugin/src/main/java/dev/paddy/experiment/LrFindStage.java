package dev.paddy.experiment;

import dev.paddy.data.ItemImages;
import dev.paddy.engine.Engines;
import dev.paddy.io.Json;
import dev.paddy.manifest.MemberSpec;
import dev.paddy.report.LrFindPlot;
import dev.paddy.report.ReportModel;
import dev.paddy.train.LrFinder;
import dev.paddy.train.LrRangeTest;
import dev.paddy.train.LrSuggestions;
import dev.paddy.train.Throttle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Runs fastai's {@code lr_find} for members whose curve for their current key is not on disk,
 * prints the four suggestions as a table, and writes the curve ({@code lr-find/<member>.json})
 * and its plot ({@code lr-find/<member>.png}). An {@code lr: find} member trains at the valley suggestion.
 */
final class LrFindStage {
    private final StageContext context;
    private final MemoryStage memory;
    /** The kind of the machine cache's entries that hold an lr finder run, by its key. */
    static final String CACHE_KIND = "lr-find";

    private final MemberRecipe recipe;
    private final MemberRunner runner;

    LrFindStage(StageContext context, MemoryStage memory, MemberRunner runner) {
        this.context = context;
        this.memory = memory;
        this.recipe = new MemberRecipe(context);
        this.runner = runner;
    }

    /**
     * Runs the range test for {@code members} (declared; all of them, whatever their lr, at their
     * planned accumulation) unless cached, or always with {@code force}, and prints the table.
     */
    StageReport run(List<MemberSpec> members, boolean force) throws ExperimentException, IOException {
        StageReport report = run(members, force, StageId.LR_FIND);
        printTable(members);
        return report;
    }

    /**
     * Runs the range test for {@code members} ({@code lr: find} ones) whose curve for their
     * current configuration is missing: for {@code paddy:train}, which trains them at the valley.
     */
    StageReport runMissing(List<MemberSpec> members) throws ExperimentException, IOException {
        return run(members, false, StageId.TRAIN);
    }

    private StageReport run(List<MemberSpec> members, boolean force, StageId asking)
            throws ExperimentException, IOException {
        List<StageReport.Entry> entries = new ArrayList<>();
        List<MemberRunner.Job> jobs = new ArrayList<>();
        for (MemberSpec member : members) {
            int accum = memory.accum(member, asking);
            String key = context.keys().lrFind(member, accum);
            if (!force && cached(member, key).isPresent()) {
                entries.add(new StageReport.Entry(member.name(), StageReport.Outcome.CACHED,
                        new Reason.Kept("curve for key " + Keys.shown(key))));
                continue;
            }
            if (asking == StageId.TRAIN) {
                context.log().info(member.name() + ": lr: find, and no lr finder curve for its configuration yet:"
                        + " running it");
            }
            context.items().training(member.training().item()); // decoded once here, not in each worker
            jobs.add(MemberRunner.Job.of(WorkerJob.Task.LR_FIND, member, key, () -> findHere(member, accum, key)));
            entries.add(new StageReport.Entry(member.name(), StageReport.Outcome.RAN,
                    force ? new Reason.Forced() : new Reason.NotComputed("curve")));
        }
        runner.run(jobs);
        return new StageReport(StageId.LR_FIND, entries);
    }

    /**
     * The valley suggestion of an {@code lr: find} member's curve at {@code accum}, from the curve
     * on disk: {@code stage} fails, naming paddy:lr-find, where it is missing.
     */
    double recordedValley(MemberSpec member, int accum, StageId stage) throws ExperimentException, IOException {
        LrFindRecord record = cached(member, context.keys().lrFind(member, accum))
                .orElseThrow(() -> stage.missing(StageId.LR_FIND, member.name(), "lr finder curve (lr: find)"));
        return valley(member, record);
    }

    private double valley(MemberSpec member, LrFindRecord record) throws ExperimentException {
        return record.valley().orElseThrow(() -> new ExperimentException("member '" + member.name()
                + "': the lr finder recorded too few steps for a valley suggestion (" + record.lrs().size()
                + " steps, state " + record.state() + "); give 'lr:' a number, see " + context.layout().lrFindPlot(member.name())));
    }

    /** The member's last curve, whatever its key, for the report. */
    Optional<ReportModel.LrFind> forReport(MemberSpec member) {
        return Json.read(context.layout().lrFind(member.name()), LrFindRecord.class, why -> { }).map(LrFindStage::model);
    }

    /** The member's curve for {@code key} in the output folder, put there from the machine cache if need be. */
    private Optional<LrFindRecord> cached(MemberSpec member, String key) {
        Optional<LrFindRecord> here = cachedHere(member, key);
        if (here.isEmpty() && (context.cache().restore(CACHE_KIND, key, cacheFiles(member, true))
                || context.cache().restore(CACHE_KIND, key, cacheFiles(member, false)))) {
            here = cachedHere(member, key);
            here.ifPresent(r -> context.log().info(member.name() + ": lr finder curve for key " + Keys.shown(key)
                    + " restored from the machine cache " + context.cache().root().orElseThrow()));
        }
        return here;
    }

    private Optional<LrFindRecord> cachedHere(MemberSpec member, String key) {
        return Json.read(context.layout().lrFind(member.name()), LrFindRecord.class,
                        why -> context.log().warn(why + "; the lr finder runs again"))
                .filter(r -> r.key().equals(key));
    }

    /** The curve's files by their names in a machine cache entry: with its plot, or without when none was drawn. */
    private Map<String, Path> cacheFiles(MemberSpec member, boolean withPlot) {
        return withPlot ? Map.of("curve.json", context.layout().lrFind(member.name()),
                "plot.png", context.layout().lrFindPlot(member.name()))
                : Map.of("curve.json", context.layout().lrFind(member.name()));
    }

    /** Runs the range test for {@code member} in this JVM and writes its curve and plot (a worker's job). */
    void findHere(MemberSpec member, int accum, String key) throws ExperimentException, IOException {
        long seed = context.keys().seed(member);
        ItemImages items = context.items().training(member.training().item());
        int[] train = recipe.split(items, seed).train();
        LrRangeTest test = LrRangeTest.fastai();
        context.log().info(String.format(Locale.ROOT, "%s: lr finder, lr %.0e to %.0f over %d optimizer steps"
                        + " (batch %d = %d x %d), stops when the smoothed loss exceeds 4x its best",
                member.name(), LrRangeTest.FASTAI_START_LR, LrRangeTest.FASTAI_END_LR, test.numIt(),
                member.training().batchSize(), accum, member.training().batchSize() / accum));
        Throttle progress = new Throttle(Throttle.PROGRESS);
        LrFinder.Result result = new LrFinder(context.threads(), Engines.device()).run(
                // The range test sets every step's lr itself: the config's lr is the manifest's placeholder, unused.
                recipe.config(member, accum, member.training().lr(), seed), items, recipe.labels(member), train, test,
                step -> {
                    if (progress.due()) {
                        context.log().info(String.format(Locale.ROOT, "%s: lr finder step %d/%d", member.name(), step,
                                test.numIt()));
                    }
                });
        LrFindRecord record = new LrFindRecord(key, member.name(), result.lrs(), result.losses(),
                result.state().name().toLowerCase(Locale.ROOT),
                result.suggestions().stream().map(s -> new LrFindRecord.Suggestion(s.method().fastaiName(), s.lr(),
                        s.pointLr(), s.pointLoss())).toList(), result.seconds());
        Json.write(context.layout().lrFind(member.name()), record);
        Path plot = context.layout().lrFindPlot(member.name());
        try {
            LrFindPlot.write(model(record), plot);
        } catch (IOException e) {
            context.log().warn(member.name() + ": lr finder plot not drawn (" + e.getMessage() + "); the curve is in "
                    + context.layout().lrFind(member.name()));
        }
        context.cache().keep(CACHE_KIND, key, cacheFiles(member, Files.isRegularFile(plot)));
        context.log().info(String.format(Locale.ROOT, "%s: lr finder %s after %d steps in %.1f s; plot %s", member.name(),
                record.state(), record.lrs().size(), record.seconds(), plot));
    }

    private void printTable(List<MemberSpec> members) {
        ExperimentLog log = context.log();
        log.info(String.format(Locale.ROOT, "%-20s %10s %10s %10s %10s  %s", "member", "valley", "slide", "steep",
                "minimum", "plot"));
        for (MemberSpec member : members) {
            Json.read(context.layout().lrFind(member.name()), LrFindRecord.class, why -> { }).ifPresent(r -> {
                Map<String, Double> byName = suggestions(r);
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-20s", member.name()));
                for (LrSuggestions.Method method : LrSuggestions.Method.values()) {
                    Double lr = byName.get(method.fastaiName());
                    row.append(lr == null ? String.format(Locale.ROOT, " %10s", "-") : String.format(Locale.ROOT, " %10.2e", lr));
                }
                log.info(row + "  " + context.layout().lrFindPlot(member.name()));
            });
        }
    }

    private static Map<String, Double> suggestions(LrFindRecord record) {
        Map<String, Double> byName = new LinkedHashMap<>();
        record.suggestions().forEach(s -> byName.put(s.method(), s.lr()));
        return byName;
    }

    private static ReportModel.LrFind model(LrFindRecord record) {
        return new ReportModel.LrFind(record.lrs(), record.losses(), suggestions(record));
    }
}
