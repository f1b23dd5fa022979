package dev.paddy.memory;

import dev.paddy.io.AtomicFiles;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code memory-plan.json}: per member, the accumulation factor chosen, the peak measured for
 * each factor tried, and the key of everything that affects memory, so the plan is reused until
 * one of those changes.
 */
public final class MemoryPlan {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

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

    public static MemoryPlan read(Path file) {
        if (!Files.isRegularFile(file)) {
            return empty();
        }
        try {
            Stored stored = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), Stored.class);
            return new MemoryPlan(stored == null || stored.members == null ? new LinkedHashMap<>() : new LinkedHashMap<>(stored.members));
        } catch (IOException | RuntimeException e) {
            return empty(); // a damaged plan is re-probed
        }
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
        Stored stored = new Stored();
        stored.members = members;
        AtomicFiles.writeString(file, GSON.toJson(stored));
    }

    private static final class Stored {
        Map<String, Entry> members;
    }
}
