package dev.paddy.manifest;

import dev.paddy.memory.MemoryBudget;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A whole experiment, as declared in {@code paddy.yaml} and validated: data, members (each with
 * its fully resolved training settings), TTA, ensemble and submission.
 *
 * @param parallel how many members' workers run at once (training, lr finder, TTA): each on its own
 *     GPU, or on its share of the CPU's cores
 */
public record Manifest(
        Path file, DataSpec data, Optional<MemoryBudget> budget, List<MemberSpec> members, TtaSpec tta,
        EnsembleSpec ensemble, SubmissionSpec submission, int parallel) {

    public Manifest {
        members = List.copyOf(members);
    }

    public Optional<MemberSpec> member(String name) {
        return members.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /** The members that the ensemble averages, in manifest order. */
    public List<MemberSpec> ensembleMembers() {
        if (ensemble.members().isEmpty()) {
            return members;
        }
        return members.stream().filter(m -> ensemble.members().contains(m.name())).toList();
    }
}
