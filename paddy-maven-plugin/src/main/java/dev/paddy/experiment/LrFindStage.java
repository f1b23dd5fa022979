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
import java.io.IOException;
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
 * and its plot ({@code lr-find/<member>.png}). Resolves {@code lr: find} to the valley suggestion.
 */
final class LrFindStage {
    private final StageContext context;

    LrFindStage(StageContext context) {
        this.context = context;
    }

    /** Runs the range test for {@code members} (all of them, whatever their lr) unless cached, or always with {@code force}. */
    StageReport run(List<MemberSpec> members, boolean force) throws ExperimentException, IOException {
        List<StageReport.Entry> entries = new ArrayList<>();
        for (MemberSpec member : members) {
            String key = context.keys().lrFind(member);
            if (!force && cached(member, key).isPresent()) {
                entries.add(new StageReport.Entry(member.name(), StageReport.Outcome.CACHED, "curve for key " + Keys.shown(key)));
                continue;
            }
            find(member, key);
            entries.add(new StageReport.Entry(member.name(), StageReport.Outcome.RAN,
                    force ? "forced" : "no curve for its current configuration"));
        }
        printTable(members);
        return new StageReport("lr-find", entries);
    }

    /** The member with its learning rate taken from the lr finder's valley, if it says {@code lr: find}. */
    MemberSpec resolve(MemberSpec member) throws ExperimentException, IOException {
        if (!member.training().lrFind()) {
            return member;
        }
        String key = context.keys().lrFind(member);
        Optional<LrFindRecord> cached = cached(member, key);
        if (cached.isEmpty()) {
            context.log().info(member.name() + ": lr: find, and no lr finder curve for its configuration yet: running it");
        }
        LrFindRecord record = cached.isPresent() ? cached.get() : find(member, key);
        double valley = record.valley().orElseThrow(() -> new ExperimentException("member '" + member.name()
                + "': the lr finder recorded too few steps for a valley suggestion (" + record.lrs().size()
                + " steps, state " + record.state() + "); give 'lr:' a number, see " + context.layout().lrFindPlot(member.name())));
        return member.withLr(valley);
    }

    /** The member's last curve, whatever its key, for the report. */
    Optional<ReportModel.LrFind> forReport(MemberSpec member) {
        return Json.read(context.layout().lrFind(member.name()), LrFindRecord.class, why -> { }).map(LrFindStage::model);
    }

    private Optional<LrFindRecord> cached(MemberSpec member, String key) {
        return Json.read(context.layout().lrFind(member.name()), LrFindRecord.class,
                        why -> context.log().warn(why + "; the lr finder runs again"))
                .filter(r -> r.key().equals(key));
    }

    private LrFindRecord find(MemberSpec member, String key) throws ExperimentException, IOException {
        Keys.MemberKeys keys = context.keys().of(member);
        ItemImages items = context.items().training(member.training().item());
        int[] train = TrainingStage.split(context, items, keys).train();
        LrRangeTest test = LrRangeTest.fastai();
        context.log().info(String.format(Locale.ROOT, "%s: lr finder, lr %.0e to %.0f over %d optimizer steps"
                        + " (batch %d = %d x %d), stops when the smoothed loss exceeds 4x its best",
                member.name(), LrRangeTest.FASTAI_START_LR, LrRangeTest.FASTAI_END_LR, test.numIt(),
                member.training().batchSize(), member.accum(), member.microBatchSize()));
        long[] lastReport = {System.nanoTime()};
        LrFinder.Result result = new LrFinder(context.threads(), Engines.device()).run(
                TrainingStage.config(context, member, keys), items, TrainingStage.labels(context, member), train, test,
                step -> {
                    if (System.nanoTime() - lastReport[0] > 20e9) {
                        lastReport[0] = System.nanoTime();
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
        context.log().info(String.format(Locale.ROOT, "%s: lr finder %s after %d steps in %.1f s; plot %s", member.name(),
                record.state(), record.lrs().size(), record.seconds(), plot));
        return record;
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
