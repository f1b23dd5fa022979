package dev.paddy.experiment;

import dev.paddy.data.PaddyData;
import dev.paddy.manifest.MemberSpec;
import dev.paddy.memory.MemoryBudget;
import dev.paddy.memory.MemoryPlan;
import dev.paddy.memory.MemoryPlanner;
import dev.paddy.memory.ProbeRequest;
import dev.paddy.memory.ProbeRunner;
import dev.paddy.io.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The memory plan: probes each {@code accum: auto} member whose plan is missing or stale, keeps
 * {@code memory-plan.json}, prints the plan's table, and resolves a member's accumulation factor
 * from it.
 */
final class MemoryStage {
    /**
     * Optimizer steps per half of a probe (it crosses one epoch boundary, with a validation pass
     * and a checkpoint, as training does). Resident memory levels off after a few steps once
     * nothing piles up between GCs (see Learner's staging buffer): 2 x 12 steps measured within
     * 4% of a full 2-epoch training's peak.
     */
    static final int PROBE_STEPS = 12;
    private static final long PROBE_TIMEOUT_SECONDS = 900;
    /** The kind of the machine cache's entries that hold a member's memory plan, by memory key. */
    static final String CACHE_KIND = "memory";
    private static final String CACHED_PLAN = "plan.json";

    private final StageContext context;
    private final List<String> probeJvmArgs;

    MemoryStage(StageContext context, List<String> probeJvmArgs) {
        this.context = context;
        this.probeJvmArgs = List.copyOf(probeJvmArgs);
    }

    /**
     * Probes {@code members} (declared, {@code accum: auto} ones only) whose plan is stale, or all
     * with {@code force}: a stale plan takes the factors already measured under the same
     * conditions from their probes (a changed budget probes nothing), {@code force} probes afresh. The test images are checked before the first probe: a build that will
     * fail on one fails before minutes of probing, as it fails before any training. Prints the
     * plan's table when it probed, or with {@code printCached} when every plan was at hand.
     */
    StageReport plan(List<MemberSpec> members, boolean force, boolean printCached) throws ExperimentException, IOException {
        List<StageReport.Entry> entries = new ArrayList<>();
        if (context.manifest().budget().isEmpty()) {
            return new StageReport(StageId.PROBE_MEMORY, entries);
        }
        MemoryBudget budget = context.manifest().budget().get();
        Path planFile = context.layout().memoryPlan();
        MemoryPlan plan = MemoryPlan.read(planFile, why -> context.log().warn(why + "; the members are planned again"));
        MemoryPlanner planner = new MemoryPlanner(
                new ProbeRunner(context.layout().probes(), probeJvmArgs, PROBE_TIMEOUT_SECONDS), context.log()::info);
        List<MemberSpec> planned = members.stream().filter(MemberSpec::accumAuto).toList();
        for (MemberSpec member : planned) {
            String key = context.keys().memory(member, budget);
            if (!force && plan.entry(member.name(), key).isEmpty()) {
                restore(plan, member, key);
            }
            if (!force && plan.entry(member.name(), key).isPresent()) {
                entries.add(new StageReport.Entry(member.name(), StageReport.Outcome.CACHED,
                        new Reason.Kept("plan for key " + Keys.shown(key))));
                continue;
            }
            context.items().test(member.training().item());
            context.log().info(member.name() + ": probing peak memory for accum = "
                    + MemoryPlanner.candidates(member.training().batchSize()) + " until one fits "
                    + MemoryBudget.format(budget.limit()) + " (" + budget + ")");
            MemoryPlan.Entry entry = planner.plan(member.name(), probeRequest(member), budget, key, !force);
            plan.put(member.name(), entry);
            plan.write(planFile);
            keep(member, entry);
            if (!entry.fits()) {
                context.log().warn(MemoryPlanner.doesNotFit(member.name(), entry, budget));
            }
            entries.add(new StageReport.Entry(member.name(), StageReport.Outcome.RAN,
                    force ? new Reason.Forced() : new Reason.NotComputed("plan")));
        }
        StageReport report = new StageReport(StageId.PROBE_MEMORY, entries);
        if (!report.ran().isEmpty() || printCached) {
            printPlan(plan, planned, budget);
        }
        return report;
    }

    /** Puts the member's plan for {@code key} from the machine cache into {@code plan}, when it is there. */
    private void restore(MemoryPlan plan, MemberSpec member, String key) throws IOException {
        Optional<MemoryPlan.Entry> cached = context.cache().file(CACHE_KIND, key, CACHED_PLAN)
                .flatMap(file -> Json.read(file, MemoryPlan.Entry.class, why -> { }))
                .filter(entry -> key.equals(entry.key()));
        if (cached.isPresent()) {
            plan.put(member.name(), cached.get());
            plan.write(context.layout().memoryPlan());
            context.log().info(member.name() + ": memory plan for key " + Keys.shown(key) + " restored from the machine cache "
                    + context.cache().root().orElseThrow());
        }
    }

    private void keep(MemberSpec member, MemoryPlan.Entry entry) throws IOException {
        if (context.cache().isOn()) {
            Path file = context.layout().probes().resolve(member.name() + "." + CACHED_PLAN);
            Json.write(file, entry);
            context.cache().keep(CACHE_KIND, entry.key(), Map.of(CACHED_PLAN, file));
        }
    }

    /** The member's accumulation factor: the manifest's, or the memory plan's for {@code accum: auto}. */
    int accum(MemberSpec member, StageId stage) throws ExperimentException, IOException {
        if (!member.accumAuto()) {
            return member.accum();
        }
        MemoryBudget budget = context.manifest().budget().orElseThrow();
        MemoryPlan.Entry entry = MemoryPlan.read(context.layout().memoryPlan(), why -> { })
                .entry(member.name(), context.keys().memory(member, budget))
                .orElseThrow(() -> stage.missing(StageId.PROBE_MEMORY, member.name(), "memory plan (accum: auto)"));
        if (!entry.fits()) {
            throw new ExperimentException(MemoryPlanner.doesNotFit(member.name(), entry, budget));
        }
        return entry.accum();
    }

    private ProbeRequest probeRequest(MemberSpec member) {
        // The smallest class, as the seed notebook probes: memory depends on sizes, not on data.
        Map<Integer, List<String>> byClass = new HashMap<>();
        for (PaddyData.LabelledImage image : context.data().train()) {
            byClass.computeIfAbsent(image.label(), k -> new ArrayList<>()).add(image.file().toString());
        }
        List<String> smallest = byClass.values().stream().min(Comparator.comparingInt(List::size)).orElseThrow();
        var t = member.training();
        // A member of several targets has more outputs, in one head: the probe's model has them all.
        int outputs = Arrays.stream(context.targetsOf(member).classes()).sum();
        return new ProbeRequest(member.model(), outputs, t.item().resize().name(),
                t.item().size(), t.inputSize(), t.optimizer().name(), t.weightDecay(), t.batchSize(), 1, PROBE_STEPS,
                smallest);
    }

    private void printPlan(MemoryPlan plan, List<MemberSpec> members, MemoryBudget budget) throws IOException {
        ExperimentLog log = context.log();
        log.info(String.format(Locale.ROOT, "memory plan (%s, limit %s):", budget, MemoryBudget.format(budget.limit())));
        log.info(String.format(Locale.ROOT, "%-20s %-16s %-12s %5s %6s %6s %12s %5s", "member", "arch", "item", "input",
                "batch", "accum", "peak MiB", "fits"));
        for (MemberSpec member : members) {
            plan.entry(member.name(), context.keys().memory(member, budget)).ifPresent(entry -> {
                for (MemoryPlan.Trial trial : entry.trials()) {
                    log.info(String.format(Locale.ROOT, "%-20s %-16s %-12s %5d %6d %6d %12s %5s", member.name(),
                            member.arch(), member.training().item(), member.training().inputSize(),
                            member.training().batchSize(), trial.accum(),
                            trial.peakMiB() < 0 ? "failed" : String.format(Locale.ROOT, "%.1f", trial.peakMiB()),
                            trial.fits() ? "yes" : "no"));
                }
            });
        }
    }
}
