package dev.paddy.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonObject;
import dev.paddy.TinyPaddy;
import dev.paddy.ensemble.Predictions;
import dev.paddy.train.Checkpoints;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The small real experiment the fault tests break (3 Fashion-MNIST classes of 13 images, 6 test
 * images, one ResNet18 member trained 3 epochs at accum 2 with tiny items), the build they run
 * (every stage and the report, under the output folder's lock, as the goals run them), and the
 * checks they share: which files are whole, and that a build ends with the reference's bytes.
 */
final class FaultProject {
    static final String MEMBERS = """
            defaults:
              epochs: 3
              batch_size: 8
              item: {resize: squish, size: 16}
              input_size: 16
              seed: 7
            members:
              - name: res
                arch: resnet18
                accum: 2
            tta: {n: 1}
            """;

    /** System property of the write-fault hook (io.WriteFaults). */
    static final String FAULT = "paddy.test.fault";

    private FaultProject() {}

    /** Data and manifest under {@code dir}; returns the manifest. */
    static Path create(Path dir, String members) throws IOException {
        TinyPaddy.create(dir, 3, 13, 6); // 31 training images: no micro-batch of 1, which BatchNorm refuses at 1x1
        return TinyPaddy.manifest(dir, TinyPaddy.minimalYaml(members));
    }

    /**
     * The project of {@link #MEMBERS} (under a folder of its own) and its uninterrupted build, which
     * KillTest, DiskFullTest and DamagedCacheTest all compare with and start from: built once per
     * JVM, on first use, and deleted when the JVM ends. The tests copy what they change.
     *
     * @param complete the output folder of the whole build (every stage and the report)
     * @param trained a copy of that folder taken while the build ran, as its training stage left it
     */
    record Reference(Path manifest, Path complete, Path trained) {}

    private static Reference reference;

    static synchronized Reference reference() throws Exception {
        if (reference == null) {
            Path dir = Files.createTempDirectory("paddy-fault-project");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
            Path manifest = create(dir, MEMBERS);
            Path complete = dir.resolve("reference");
            Path trained = dir.resolve("trained");
            build(manifest, complete, new CollectedLog(), () -> copy(complete, trained));
            reference = new Reference(manifest, complete, trained);
        }
        return reference;
    }

    /** A step between two stages of a build. */
    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    /** One build into {@code out}: every stage and the report, holding the output folder's lock. */
    static void build(Path manifest, Path out, ExperimentLog log) throws Exception {
        build(manifest, out, log, () -> { });
    }

    private static void build(Path manifest, Path out, ExperimentLog log, Step afterTraining) throws Exception {
        try (ExperimentLock lock = ExperimentLock.acquire(out, log)) {
            Experiment experiment = Experiment.open(manifest, out, log);
            experiment.train(Set.of());
            afterTraining.run();
            experiment.tta(Set.of());
            experiment.ensemble();
            experiment.submit();
            experiment.report();
        }
    }

    /** As {@link #build}, with the write-fault hook set to {@code fault} for its duration. */
    static void buildWithFault(String fault, Path manifest, Path out, ExperimentLog log) throws Exception {
        System.setProperty(FAULT, fault);
        try {
            build(manifest, out, log);
        } finally {
            System.clearProperty(FAULT);
        }
    }

    /** The temporary files under {@code out}, relative, sorted. */
    static List<String> temporaries(Path out) throws IOException {
        try (Stream<Path> files = Files.walk(out)) {
            return files.filter(f -> f.getFileName().toString().matches("\\..+\\.\\d+\\.tmp"))
                    .map(f -> out.relativize(f).toString()).sorted().toList();
        }
    }

    /**
     * Every file under a final name in {@code out} is whole: the same bytes as the reference
     * build's file of that name where the build is deterministic (items, weights, predictions,
     * ensemble, submission), a record whose checksum holds, a checkpoint whose files match its
     * progress.json, a report that ends.
     */
    static void assertWhole(Path out, Path reference) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(out)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path file : files) {
            String name = file.getFileName().toString();
            String relative = out.relativize(file).toString();
            Path same = reference.resolve(relative);
            if (name.equals(".lock") || name.matches("\\..+\\.\\d+\\.tmp") || relative.startsWith("probes")) {
                continue;
            }
            if (name.endsWith(".json")) {
                byte[] bytes = Files.readAllBytes(file);
                assertTrue(new String(bytes, StandardCharsets.UTF_8).startsWith("{\n  \"format\": 1,\n  \"crc32c\": \""),
                        relative);
                dev.paddy.io.Json.read(file, JsonObject.class, why -> fail(why));
            } else if (name.endsWith(".html")) {
                assertTrue(Files.readString(file).endsWith("</html>\n"), relative + " ends");
            } else if (relative.contains("checkpoint")) {
                continue; // below: the checkpoint as a whole
            } else if (name.endsWith(".properties")) {
                assertTrue(Files.readString(file).endsWith("\n"), relative);
            } else {
                assertTrue(Files.isRegularFile(same), relative + " is a file the reference build has");
                assertArrayEquals(Files.readAllBytes(same), Files.readAllBytes(file), relative + " equals the reference's");
            }
        }
        Path checkpoint = out.resolve("members/res/checkpoint");
        if (Files.isRegularFile(checkpoint.resolve("progress.json"))) {
            List<String> said = new ArrayList<>();
            assertTrue(new Checkpoints(checkpoint, checkpointKey(checkpoint)).latest(said::add).isPresent(), said.toString());
        }
    }

    /** The training key of the checkpoint in {@code checkpoint} (its progress.json's). */
    static String checkpointKey(Path checkpoint) {
        return dev.paddy.io.Json.read(checkpoint.resolve("progress.json"), JsonObject.class, why -> fail(why))
                .orElseThrow().get("key").getAsString();
    }

    /** The build in {@code out} ended where the reference's did: the same submission and predictions, byte for byte. */
    static void assertSameResult(Path out, Path reference) throws IOException {
        assertArrayEquals(Files.readAllBytes(reference.resolve("submission.csv")), Files.readAllBytes(out.resolve("submission.csv")),
                "byte-identical submission");
        assertArrayEquals(Files.readAllBytes(onlyPredictions(reference)), Files.readAllBytes(onlyPredictions(out)),
                "byte-identical predictions");
        assertArrayEquals(Files.readAllBytes(reference.resolve("members/res/model.params")),
                Files.readAllBytes(out.resolve("members/res/model.params")), "byte-identical weights");
    }

    static Path onlyPredictions(Path out) throws IOException {
        try (Stream<Path> files = Files.list(out.resolve("predictions"))) {
            List<Path> probs = files.filter(f -> f.getFileName().toString().endsWith(".probs")).toList();
            assertEquals(1, probs.size(), probs.toString());
            return probs.get(0);
        }
    }

    /** The key a predictions file holds. */
    static String keyIn(Path probs) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(probs))) {
            in.readInt();
            in.readInt();
            return in.readUTF();
        }
    }

    static Optional<Predictions> predictions(Path probs) throws IOException {
        return Predictions.read(probs, keyIn(probs));
    }

    /** A copy of {@code from} (a project's output folder) at {@code to}. */
    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }

    /** Deletes {@code dir} and everything under it, as far as it can (the JVM is ending). */
    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }

    static int waitFor(Process process) throws InterruptedException {
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
