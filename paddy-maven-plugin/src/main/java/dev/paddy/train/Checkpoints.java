package dev.paddy.train;

import dev.paddy.io.Checksums;
import dev.paddy.io.Json;
import dev.paddy.io.OutputLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The end-of-epoch checkpoints of one member's training: model parameters, optimizer state
 * (moments and step counts) and {@code progress.json}, which names both files with their
 * checksums, the training key they belong to, the epochs done and their metrics.
 *
 * <p>Order of writes: the new epoch's files (each atomically), then {@code progress.json}
 * (atomically), then the previous epoch's files are deleted. A kill at any point leaves a
 * {@code progress.json} whose files exist and match their checksums. Everything else a resumed
 * training needs is a function of (seed, epoch): the data order, the augmentation's randomness
 * and the schedule's position.
 */
public final class Checkpoints {
    private final Path dir;
    private final String key;

    /** @param key the training key: a checkpoint of any other configuration is never resumed */
    public Checkpoints(Path dir, String key) {
        this.dir = dir;
        this.key = key;
    }

    /** What {@code progress.json} holds. */
    record Progress(String key, int epochsDone, double seconds, List<EpochMetrics> history,
                    String params, String paramsChecksum, String optimizer, String optimizerChecksum) implements Json.Checked {
        @Override
        public String problem() {
            return key == null || history == null || params == null || paramsChecksum == null || optimizer == null
                    || optimizerChecksum == null || epochsDone < 1 ? "incomplete" : null;
        }
    }

    /** A checkpoint a training can resume from. */
    public record Saved(int epochsDone, double seconds, List<EpochMetrics> history, Path params,
                        Path optimizer) {}

    /**
     * The newest checkpoint of this key whose files are intact; empty (with the reason told to
     * {@code notes}) when there is none, it belongs to another configuration, or it is damaged.
     */
    public Optional<Saved> latest(Consumer<String> notes) {
        return latest(notes, notes);
    }

    /**
     * As above, telling a damaged checkpoint ({@code progress.json} unreadable, of a newer paddy,
     * a file it names missing or failing its checksum) to {@code warnings}, once, naming the file.
     */
    public Optional<Saved> latest(Consumer<String> notes, Consumer<String> warnings) {
        String notUsed = "; the checkpoint is not used: starting from epoch 1";
        Optional<Progress> read = Json.read(OutputLayout.checkpointProgress(dir), Progress.class,
                why -> warnings.accept(why + notUsed));
        if (read.isEmpty()) {
            return Optional.empty();
        }
        Progress progress = read.get();
        if (!progress.key().equals(key)) {
            notes.accept("the checkpoint in " + dir + " is of another configuration; starting from epoch 1");
            return Optional.empty();
        }
        Path params = dir.resolve(progress.params());
        Path optimizer = dir.resolve(progress.optimizer());
        try {
            for (Path file : List.of(params, optimizer)) {
                String recorded = file == params ? progress.paramsChecksum() : progress.optimizerChecksum();
                String actual = Checksums.of(file);
                if (actual == null) {
                    warnings.accept(file + ": missing, though " + OutputLayout.checkpointProgress(dir).getFileName()
                            + " names it for epoch " + progress.epochsDone() + notUsed);
                    return Optional.empty();
                }
                if (!actual.equals(recorded)) {
                    warnings.accept(file + ": checksum mismatch (size:CRC32C " + actual + ", "
                            + OutputLayout.checkpointProgress(dir).getFileName() + " records " + recorded
                            + "): damaged" + notUsed);
                    return Optional.empty();
                }
            }
        } catch (IOException e) {
            warnings.accept("the checkpoint in " + dir + " cannot be read (" + e.getMessage() + ")" + notUsed);
            return Optional.empty();
        }
        return Optional.of(new Saved(progress.epochsDone(), progress.seconds(), List.copyOf(progress.history()),
                params, optimizer));
    }

    /**
     * Writes the checkpoint at the end of {@code epoch} (1-based) and drops the previous one. When
     * a write fails (a full disk), the new epoch's files are removed again and the previous
     * checkpoint, which {@code progress.json} still names, stays whole.
     */
    public void save(Learner learner, int epoch, double seconds, List<EpochMetrics> history)
            throws IOException {
        Files.createDirectories(dir);
        Path params = OutputLayout.checkpointParams(dir, epoch);
        Path optimizer = OutputLayout.checkpointOptimizer(dir, epoch);
        try {
            learner.save(params);
            learner.saveOptimizer(optimizer);
            Json.write(OutputLayout.checkpointProgress(dir), new Progress(key, epoch, seconds, history,
                    params.getFileName().toString(), Checksums.of(params), optimizer.getFileName().toString(),
                    Checksums.of(optimizer)));
        } catch (IOException | RuntimeException e) {
            if (!progressNames(params)) { // the new files are nobody's yet: give their space back
                Files.deleteIfExists(params);
                Files.deleteIfExists(optimizer);
            }
            throw e;
        }
        try (var files = Files.list(dir)) {
            for (Path old : files.toList()) {
                if (old.getFileName().toString().startsWith(OutputLayout.checkpointPrefix()) && !old.equals(params)
                        && !old.equals(optimizer)) {
                    Files.deleteIfExists(old);
                }
            }
        }
        // DJL serialises each tensor through a heap copy: a checkpoint leaves the size of the model
        // and its optimizer state as garbage, which a large heap would otherwise keep growing into
        // epoch after epoch. Collect it now (~0.1 s an epoch) so memory stays at what the probe measures.
        System.gc();
    }

    /** Whether {@code progress.json} names {@code params} (the epoch's files are the checkpoint in force). */
    private boolean progressNames(Path params) {
        return Json.read(OutputLayout.checkpointProgress(dir), Progress.class, why -> { })
                .map(p -> params.getFileName().toString().equals(p.params())).orElse(false);
    }

    /** Removes the checkpoints once the final weights are written: they are no longer needed. */
    public void clear() throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(dir);
    }
}
