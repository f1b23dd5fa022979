package dev.paddy.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddy.TinyPaddy;
import dev.paddy.engine.Numerics;
import dev.paddy.engine.RunEnvironment;
import dev.paddy.io.Json;
import dev.paddy.ensemble.Predictions;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A teammate's predictions are checked against this experiment before use: a file whose checksum
 * holds (anyone can recompute it) but whose images, classes, values or declared sizes are not
 * this experiment's is one warning naming where it came from, is deleted, and the member trains.
 */
class SharedPredictionsTest {
    private static final String SOURCE = "dev.paddy:team:probs:res-feedface (team-repository)";

    @TempDir
    Path dir;

    private Experiment experiment;
    private ResolvedMember res;
    private CollectedLog log;

    @BeforeEach
    void open() throws Exception {
        TinyPaddy.create(dir, 3, 4, 6);
        TinyPaddy.manifest(dir, TinyPaddy.minimalYaml("""
                members:
                  - name: res
                    arch: resnet18
                """));
        experiment = Experiment.open(dir.resolve("paddy.yaml"), dir.resolve("target/paddy"), new CollectedLog());
        res = experiment.members(Set.of()).get(0);
        log = new CollectedLog();
    }

    /** The store, with a team that has {@code bytes} as res's predictions. */
    private Optional<PredictionStore.Found> obtainSharing(byte[] bytes) throws IOException {
        SharedPredictions team = (member, key, kind, target) -> {
            if (kind != SharedPredictions.Kind.PREDICTIONS) {
                return Optional.empty();
            }
            Files.createDirectories(target.getParent());
            Files.write(target, bytes);
            return Optional.of(SOURCE);
        };
        return new PredictionStore(experiment.layout(), dev.paddy.io.MachineCache.OFF, experiment.data(), team, log).obtain(res);
    }

    private List<String> ids() {
        return experiment.data().testIds();
    }

    private List<String> classes() {
        return experiment.data().vocabulary();
    }

    private float[][] uniform(int rows) {
        float[][] p = new float[rows][classes().size()];
        for (float[] row : p) {
            java.util.Arrays.fill(row, 1f / row.length);
        }
        return p;
    }

    /** A predictions file as Predictions writes it, with any header and rows, its checksum recomputed. */
    private byte[] file(List<String> vocabulary, int declaredRows, List<String> ids, float[][] rows) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(0x50414459);
            out.writeInt(1);
            out.writeUTF(res.keys().tta());
            out.writeInt(vocabulary.size());
            for (String label : vocabulary) {
                out.writeUTF(label);
            }
            out.writeInt(declaredRows);
            for (int i = 0; i < ids.size(); i++) {
                out.writeUTF(ids.get(i));
                for (float p : rows[i]) {
                    out.writeFloat(p);
                }
            }
        }
        byte[] content = bytes.toByteArray();
        CRC32 crc = new CRC32();
        crc.update(content);
        return ByteBuffer.allocate(content.length + 8).put(content).putLong(crc.getValue()).array();
    }

    private void assertRefused(byte[] bytes, String reason) throws IOException {
        log.lines.clear();
        assertEquals(Optional.empty(), obtainSharing(bytes));
        Path file = experiment.layout().predictions("res", res.keys().tta());
        assertEquals(List.of("WARN " + file + ": " + reason + "; the predictions from " + SOURCE + " are not used"),
                log.lines, "one warning naming the file, why and where it came from");
        assertFalse(Files.exists(file), "never used, and gone: a later build is not broken by it");
        assertTrue(obtainSharing(file(classes(), ids().size(), ids(), uniform(ids().size()))).isPresent(),
                "the next build takes the team's good file");
        Files.delete(file);
    }

    @Test
    void predictionsOfThisExperimentAreUsed() throws Exception {
        Optional<PredictionStore.Found> found = obtainSharing(file(classes(), ids().size(), ids(), uniform(ids().size())));
        assertEquals(SOURCE, found.orElseThrow().source());
        assertEquals(ids(), found.get().predictions().ids());
        assertTrue(log.has("res: TTA predictions resolved from " + SOURCE), log.lines.toString());
    }

    /** The store, with a team that has good predictions of res and a training record made in {@code environment}. */
    private Optional<PredictionStore.Found> obtainSharingMadeIn(RunEnvironment environment) throws IOException {
        byte[] bytes = file(classes(), ids().size(), ids(), uniform(ids().size()));
        TrainingRecord record = new TrainingRecord(res.keys().training(), "res", res.keys().trainingInputs(), classes(),
                List.of(), 0.1, 1, 1, 1, 1, List.of(), 1, "test", "0", "a teammate", List.of(), null, List.of(), environment);
        SharedPredictions team = (member, key, kind, target) -> {
            Files.createDirectories(target.getParent());
            if (kind == SharedPredictions.Kind.PREDICTIONS) {
                Files.write(target, bytes);
            } else {
                Json.write(target, record);
            }
            return Optional.of(SOURCE);
        };
        return new PredictionStore(experiment.layout(), dev.paddy.io.MachineCache.OFF, experiment.data(), team, log).obtain(res);
    }

    private static RunEnvironment madeIn(String cpu, String isaCap, int threads, Numerics numerics) {
        RunEnvironment here = RunEnvironment.ofWorker(numerics);
        return new RunEnvironment(cpu, "avx512_core", isaCap, here.atenCpuCapability(), here.mklCbwr(), threads,
                here.interOpThreads(), here.device(), here.engine(), "Linux", "amd64", "17", numerics.manifestName());
    }

    @Test
    void aPortableMemberTakesOnlyPredictionsMadeUnderPortableNumericsAndTheLogNamesOtherNumerics() throws Exception {
        TinyPaddy.manifest(dir, TinyPaddy.minimalYaml("""
                members:
                  - name: res
                    arch: resnet18
                    numerics: portable
                """));
        experiment = Experiment.open(dir.resolve("paddy.yaml"), dir.resolve("target/paddy"), new CollectedLog());
        res = experiment.members(Set.of()).get(0);

        assertEquals(Optional.empty(), obtainSharingMadeIn(madeIn("Intel Xeon", "none", 4, Numerics.MACHINE)));
        assertEquals(1, log.lines.size(), log.lines.toString());
        assertTrue(log.lines.get(0).startsWith("WARN res: the TTA predictions from " + SOURCE + " are not used: they were"
                + " made under numerics machine (Intel Xeon, avx512_core, ") && log.lines.get(0).endsWith(", and a"
                + " 'numerics: portable' member takes only predictions made under portable numerics"), log.lines.get(0));
        assertFalse(Files.exists(experiment.layout().predictions("res", res.keys().tta())), "not kept");

        log.lines.clear();
        assertTrue(obtainSharingMadeIn(madeIn("Intel Xeon", "AVX2", 1, Numerics.PORTABLE)).isPresent());
        assertEquals(List.of("res: TTA predictions resolved from " + SOURCE + " (made under portable numerics, as here:"
                + " Intel Xeon)"), log.lines);
    }

    @Test
    void predictionsMadeUnderOtherNumericsAreNamedSo() throws Exception {
        RunEnvironment here = RunEnvironment.ofWorker(Numerics.MACHINE);
        assertTrue(obtainSharingMadeIn(madeIn("Intel Xeon", "AVX2", here.intraOpThreads() + 1, Numerics.MACHINE))
                .isPresent());
        assertEquals(1, log.lines.size(), log.lines.toString());
        assertTrue(log.lines.get(0).startsWith("res: TTA predictions resolved from " + SOURCE + " (made under other"
                + " numerics: Intel Xeon, ") && log.lines.get(0).contains((here.intraOpThreads() + 1) + " threads vs here "),
                log.lines.get(0));
    }

    @Test
    void classesInAnotherOrderAreRefused() throws Exception {
        List<String> swapped = new ArrayList<>(classes());
        Collections.reverse(swapped);
        assertRefused(file(swapped, ids().size(), ids(), uniform(ids().size())), "its classes " + swapped
                + " are not this experiment's " + classes() + " in that order");
    }

    @Test
    void otherImagesOrAnotherOrderAreRefused() throws Exception {
        List<String> reversed = new ArrayList<>(ids());
        Collections.reverse(reversed);
        assertRefused(file(classes(), ids().size(), reversed, uniform(ids().size())), "its " + ids().size()
                + " image ids are not this experiment's " + ids().size() + " test images in the sample submission's order");
    }

    @Test
    void nanOrInfiniteProbabilitiesAreRefused() throws Exception {
        float[][] rows = uniform(ids().size());
        rows[1][0] = Float.NaN;
        rows[4][2] = Float.NEGATIVE_INFINITY;
        assertRefused(file(classes(), ids().size(), ids(), rows), "NaN or infinite probabilities for 2 of "
                + ids().size() + " test images (the member diverged where it was trained)");
    }

    @Test
    void aHeaderDeclaringMoreRowsThanTheFileHoldsIsRefusedBeforeAnyAllocation() throws Exception {
        byte[] huge = file(classes(), 1 << 30, List.of(), new float[0][]);
        assertRefused(huge, "declares 1073741824 images of 3 classes, which its " + huge.length
                + " bytes cannot hold");
        byte[] negative = file(classes(), -5, List.of(), new float[0][]);
        assertRefused(negative, "declares -5 images of 3 classes, which its " + negative.length + " bytes cannot hold");
    }

    @Test
    void aFileEndingBeforeItsDeclaredRowsIsRefused() throws Exception {
        // Declares three images and holds two: few enough for the bytes left to seem able to hold them.
        byte[] shortBody = file(classes(), 3, ids().subList(0, 2), uniform(2));
        assertEquals(Optional.empty(), obtainSharing(shortBody));
        Path file = experiment.layout().predictions("res", res.keys().tta());
        assertEquals(1, log.lines.size(), log.lines.toString());
        assertTrue(log.lines.get(0).startsWith("WARN " + file + ": ends before the images it declares ("),
                log.lines.toString());
        assertFalse(Files.exists(file));
    }

    @Test
    void aFileLargerThanThisExperimentsPredictionsCanBeIsRefusedUnread() throws Exception {
        byte[] big = new byte[4 << 20];
        Path file = experiment.layout().predictions("res", res.keys().tta());
        assertEquals(Optional.empty(), obtainSharing(big));
        assertEquals(1, log.lines.size(), log.lines.toString());
        assertTrue(log.lines.get(0).startsWith("WARN " + file + ": " + big.length + " bytes, more than predictions of "
                + ids().size() + " test images in 3 classes can take ("), log.lines.toString());
    }
}
