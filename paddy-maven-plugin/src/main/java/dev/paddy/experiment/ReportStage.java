package dev.paddy.experiment;

import dev.paddy.engine.Engines;
import dev.paddy.engine.RunEnvironment;
import dev.paddy.io.Json;
import dev.paddy.manifest.MemberSpec;
import dev.paddy.memory.MemoryBudget;
import dev.paddy.memory.MemoryPlan;
import dev.paddy.report.ReportModel;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Gathers the report's figures from what the stages wrote: the members' training records (here,
 * or those that came with shared predictions, with the environment each was trained under), the
 * memory plan, the stages' last runs and the ensemble's table. It reads only: writing the report
 * trains and predicts nothing.
 */
final class ReportStage {
    private final StageContext context;
    private final TrainedModels models;
    private final StageRuns runs;
    private final LrFindStage lrFind;
    private final MemberResolver resolver;

    ReportStage(StageContext context, TrainedModels models, StageRuns runs, LrFindStage lrFind,
                MemberResolver resolver) {
        this.context = context;
        this.models = models;
        this.runs = runs;
        this.lrFind = lrFind;
        this.resolver = resolver;
    }

    ReportModel model() throws IOException {
        // The CPU from /proc/cpuinfo and the cap from the environment: nothing more is loaded than before.
        RunEnvironment.Cpu cpu = RunEnvironment.Cpu.current();
        ReportModel.Run run = new ReportModel.Run(context.manifest().file().toString(),
                context.keys().manifestShown(), context.keys().plugin(), context.keys().engine(), cpu.model(),
                RunEnvironment.isaWithCap(cpu.isa(), RunEnvironment.isaCapInForce()), Engines.device().toString(),
                context.threads(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        List<ReportModel.StageRun> stages = runs.read().stream().map(r -> new ReportModel.StageRun(r.stage(), r.seconds(),
                r.finished(), r.members().stream().map(e -> new ReportModel.Outcome(e.member(),
                        e.outcome().name().toLowerCase(Locale.ROOT), e.why())).toList())).toList();
        MemoryPlan plan = MemoryPlan.read(context.layout().memoryPlan(), why -> { });
        List<ReportModel.Member> members = new ArrayList<>();
        for (MemberSpec member : context.manifest().members()) {
            members.add(member(member, plan));
        }
        ReportModel.Ensemble ensemble = Json.read(context.layout().ensembleRecord(), EnsembleRecord.class, why -> { })
                .map(e -> new ReportModel.Ensemble(e.members().stream().map(r -> new ReportModel.EnsembleRow(r.member(),
                        r.arch(), r.weight(), r.validError(), r.testAccuracy())).toList(), e.accuracy()))
                .orElse(new ReportModel.Ensemble(List.of(), null));
        return new ReportModel(run, stages, members, ensemble);
    }

    private ReportModel.Member member(MemberSpec member, MemoryPlan plan) throws IOException {
        Optional<TrainingRecord> found = models.knownRecord(member.name());
        if (found.isEmpty()) {
            return new ReportModel.Member(member.name(), member.arch(), null, null, false, context.data().vocabulary(),
                    List.of(), List.of(), null, List.of(), memory(member, null, plan), List.of(),
                    lrFind.forReport(member).orElse(null));
        }
        TrainingRecord record = found.get();
        List<ReportModel.Epoch> epochs = record.epochs().stream().filter(Objects::nonNull).map(e -> new ReportModel.Epoch(e.epoch(), e.phase(),
                e.trainLoss(), e.validLoss(), e.errorRate(), e.seconds(), e.moreErrorRates())).toList();
        List<ReportModel.Step> schedule = record.schedule() == null ? List.of() : record.schedule().stream()
                .map(s -> new ReportModel.Step(s.step(), s.lrs() == null ? List.of() : s.lrs(), s.momentum())).toList();
        List<ReportModel.TopLoss> topLosses = record.topLosses() == null ? List.of() : record.topLosses().stream()
                .filter(Objects::nonNull)
                .map(t -> new ReportModel.TopLoss(trainingImage(t.image()), t.actual(), t.predicted(), t.probability(),
                        t.loss()))
                .toList();
        boolean earlier = resolver.resolvable(member).map(r -> !r.keys().training().equals(record.key())).orElse(false);
        return new ReportModel.Member(member.name(), member.arch(), record.trainedBy(), environment(record.environment()),
                earlier, record.vocabulary(), epochs, schedule, record.confusion(), topLosses, memory(member, record, plan),
                record.skippedImages() == null ? List.of() : record.skippedImages(),
                lrFind.forReport(member).orElse(null));
    }

    /** The record's environment as the report's words; null for a record of an earlier paddy. */
    private static ReportModel.Environment environment(RunEnvironment environment) {
        return environment == null ? null : new ReportModel.Environment(environment.cpuModel(),
                environment.isaSettings(), environment.threads(), environment.device(), environment.engine(),
                environment.numerics());
    }

    /**
     * The local training image a record's top loss names: the one in the same class folder with the
     * same name (a teammate's record names its own absolute path), or null. A record, shared or
     * not, never makes the report open any other file: a path to a key file would put its first
     * bytes into the page as the "reason" it is not an image.
     */
    private Path trainingImage(String recorded) {
        if (recorded == null) {
            return null;
        }
        Path path;
        try {
            path = Path.of(recorded);
        } catch (InvalidPathException e) {
            return null;
        }
        if (path.getNameCount() < 2) {
            return null;
        }
        Path classAndName = path.subpath(path.getNameCount() - 2, path.getNameCount());
        return context.data().trainFiles().stream().filter(f -> f.endsWith(classAndName)).findFirst().orElse(null);
    }

    /** The plan's trials for the member's current configuration (none without a budget) and the measured peak. */
    private ReportModel.Memory memory(MemberSpec member, TrainingRecord record, MemoryPlan plan) throws IOException {
        Double measured = record == null ? null : record.peakMemoryMiB();
        String measure = record == null ? null : record.peakMemoryMeasure();
        if (context.manifest().budget().isEmpty()) {
            return new ReportModel.Memory(null, List.of(), measured, measure);
        }
        MemoryBudget budget = context.manifest().budget().get();
        List<ReportModel.Trial> trials = plan.entry(member.name(), context.keys().memory(member, budget))
                .map(entry -> entry.trials().stream().map(t -> new ReportModel.Trial(t.accum(), t.microBatch(),
                        t.peakMiB(), t.fits())).toList())
                .orElse(List.of());
        return new ReportModel.Memory(budget.limit() / (double) (1 << 20), trials, measured, measure);
    }
}
