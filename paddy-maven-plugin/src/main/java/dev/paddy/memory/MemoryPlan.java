package dev.paddy.memory;

import dev.paddy.io.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code memory-plan.json}: per member, the accumulation factor chosen, the peak measured for
 * each factor tried, and the key of everything that affects memory, so the plan is reused until
 * one of those changes.
 */
public final class MemoryPlan {
    /** One member's plan. {@code accum} is 0 when nothing fits. */
    public record Entry(String key, String device, long budgetBytes, double margin, int accum, List<Trial> trials) {
        public boolean fits() {
            return accum > 0;
        }
    }

    /** One probe as recorded: the factor, the micro-batch, the peak in MiB (or -1), whether it fit, and why not. */
    public record Trial(int accum, int microBatch, double peakMiB, boolean fits, String reason, double seconds) {}

    private final Map<String, Entry> members;

    private MemoryPlan(Map<String, Entry> members) {
        this.members = members;
    }

    public static MemoryPlan empty() {
        return new MemoryPlan(new LinkedHashMap<>());
    }

    /** The plan in {@code file}; empty when there is none, and when it is damaged (then {@code whyNot} hears why: it is re-probed). */
    public static MemoryPlan read(Path file, Consumer<String> whyNot) {
        return Json.read(file, Stored.class, whyNot)
                .map(stored -> new MemoryPlan(new LinkedHashMap<>(stored.members)))
                .orElseGet(MemoryPlan::empty);
    }

    /** The member's entry if it was planned for exactly this key. */
    public Optional<Entry> entry(String member, String key) {
        Entry entry = members.get(member);
        return entry != null && entry.key().equals(key) ? Optional.of(entry) : Optional.empty();
    }

    public synchronized void put(String member, Entry entry) {
        members.put(member, entry);
    }

    public synchronized void write(Path file) throws IOException {
        Json.write(file, new Stored(members));
    }

    private record Stored(Map<String, Entry> members) implements Json.Checked {
        @Override
        public String problem() {
            if (members == null) {
                return "no members";
            }
            for (Map.Entry<String, Entry> member : members.entrySet()) {
                Entry entry = member.getValue();
                if (entry == null || entry.key() == null || entry.trials() == null || entry.trials().isEmpty()) {
                    return "the entry of '" + member.getKey() + "' is incomplete";
                }
            }
            return null;
        }
    }
}
