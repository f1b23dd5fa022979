package dev.paddy.experiment;

import dev.paddy.manifest.Manifest;
import dev.paddy.manifest.MemberSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the manifest's members into {@link ResolvedMember}s: the accumulation factor from the
 * memory plan, the learning rate from the lr finder's curve, then the keys. It reads what the
 * earlier stages left on disk and runs none of them: where a plan or a curve is missing, the
 * stage asking fails, naming the goal to run ({@link StageId#missing}).
 */
final class MemberResolver {
    private final StageContext context;
    private final MemoryStage memory;
    private final LrFindStage lrFind;

    MemberResolver(StageContext context, MemoryStage memory, LrFindStage lrFind) {
        this.context = context;
        this.memory = memory;
        this.lrFind = lrFind;
    }

    /** The members named in {@code names} (all when empty), in manifest order, as declared. */
    List<MemberSpec> declared(Set<String> names) throws ExperimentException {
        Manifest manifest = context.manifest();
        for (String name : names) {
            if (manifest.member(name).isEmpty()) {
                throw new ExperimentException("no member named '" + name + "' in " + manifest.file() + "; members: "
                        + String.join(", ", manifest.members().stream().map(MemberSpec::name).toList()));
            }
        }
        return manifest.members().stream().filter(m -> names.isEmpty() || names.contains(m.name())).toList();
    }

    /**
     * {@code members} resolved for {@code stage} from the memory plan and the lr finder's curves
     * on disk; a member whose plan or curve is missing fails, naming the goal that makes it.
     */
    List<ResolvedMember> resolve(List<MemberSpec> members, StageId stage) throws ExperimentException, IOException {
        List<ResolvedMember> resolved = new ArrayList<>();
        for (MemberSpec member : members) {
            int accum = memory.accum(member, stage);
            resolved.add(resolved(member, accum, member.training().lrFind()
                    ? lrFind.recordedValley(member, accum, stage) : member.training().lr()));
        }
        return resolved;
    }

    /**
     * {@code member} resolved as the stages that use its weights resolve it (paddy:tta), or empty
     * when its plan or curve is not made yet: for readers such as the report, which show what is
     * there and fail for nothing missing.
     */
    Optional<ResolvedMember> resolvable(MemberSpec member) throws IOException {
        try {
            return Optional.of(resolve(List.of(member), StageId.TTA).get(0));
        } catch (ExperimentException e) {
            return Optional.empty();
        }
    }

    private ResolvedMember resolved(MemberSpec member, int accum, double lr) throws IOException {
        return new ResolvedMember(member.withAccum(accum).withLr(lr), context.keys().of(member, accum, lr));
    }
}
