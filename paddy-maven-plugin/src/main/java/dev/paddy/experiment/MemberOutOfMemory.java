package dev.paddy.experiment;

import dev.paddy.engine.OutOfMemory;
import dev.paddy.manifest.Divisors;
import dev.paddy.manifest.MemberSpec;
import java.util.List;
import java.util.Locale;

/**
 * A member that ran out of memory while training or predicting, as the user reads it: one line
 * naming the member, its micro-batch and what ran out, and the ways to a micro-batch that fits.
 * Any other failure passes through unchanged.
 */
final class MemberOutOfMemory {
    private MemberOutOfMemory() {}

    /**
     * The user failure for {@code e} when it (or a cause) says memory ran out; otherwise throws
     * {@code e} itself, unchanged. Use as {@code throw MemberOutOfMemory.failure(...)}.
     */
    static ExperimentException failure(ResolvedMember member, String doing, Throwable e, boolean checkpointKept) {
        Throwable memory = OutOfMemory.find(e);
        if (memory == null) {
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e instanceof Error error) {
                throw error;
            }
            throw new IllegalArgumentException("not an unchecked failure", e);
        }
        return new ExperimentException(message(member.spec(), doing, memory, checkpointKept), e);
    }

    /**
     * What to do when {@code member} (resolved: its accum is the one it ran at) ran out of memory while {@code doing} ("training", "predicting
     * the test set (TTA)"): its micro-batch, and the three ways to a smaller one or a measured one.
     */
    static String message(MemberSpec member, String doing, Throwable memory, boolean checkpointKept) {
        int batch = member.training().batchSize();
        List<String> larger = Divisors.of(batch).stream().filter(a -> a > member.accum()).map(String::valueOf).toList();
        String advice = larger.isEmpty()
                ? "The micro-batch is already 1 image: lower 'input_size' (or 'item.size'), pick a smaller 'arch', or"
                        + " run on a machine with more memory"
                : "Make the micro-batch smaller: raise this member's 'accum:' (a divisor of batch_size " + batch
                        + ": " + String.join(", ", larger.subList(0, Math.min(6, larger.size())))
                        + (larger.size() > 6 ? ", ..." : "") + "), or set 'budget:' and 'accum: auto' and run 'mvn"
                        + " paddy:probe-memory', which measures the accumulation that fits";
        if (OutOfMemory.javaHeap(memory)) {
            advice += "; for the Java heap, a larger -Xmx (MAVEN_OPTS or .mvn/jvm.config) helps too";
        }
        return String.format(Locale.ROOT, "member '%s' ran out of memory while %s, at a micro-batch of %d image%s"
                        + " (batch_size %d / accum %d) of %d px: %s. %s%s", member.name(), doing,
                member.microBatchSize(), member.microBatchSize() == 1 ? "" : "s", batch, member.accum(),
                member.training().inputSize(),
                OutOfMemory.describe(memory), advice, checkpointKept
                        ? ". The epochs it finished are kept: the next build resumes after the last one" : "");
    }
}
