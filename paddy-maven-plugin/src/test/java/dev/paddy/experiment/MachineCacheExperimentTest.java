package dev.paddy.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddy.TinyPaddy;
import dev.paddy.Training;
import dev.paddy.io.MachineCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The machine cache through the plain Java API, with real training: what one build computed
 * survives the loss of its output folder ('mvn clean'), serves another experiment on the same
 * machine, and a damaged entry is computed again, never used.
 */
@Training
class MachineCacheExperimentTest {
    @TempDir
    static Path root;

    static Path project;
    static Path cacheDir;
    static byte[] submission;

    static final String MEMBERS = """
            defaults:
              epochs: 1
              batch_size: 16
              item: {resize: squish, size: 20}
              input_size: 16
              seed: 5
            members:
              - name: fixed
                arch: resnet18
              - name: found
                arch: resnet18
                lr: find
            tta: {n: 2}
            """;

    @BeforeAll
    static void buildOnce() throws Exception {
        project = root.resolve("project");
        cacheDir = root.resolve("cache");
        TinyPaddy.create(project, 3, 30, 20);
        TinyPaddy.manifest(project, TinyPaddy.minimalYaml(MEMBERS));
        Experiment first = open(project, new CollectedLog());
        assertEquals(List.of("fixed", "found"), first.train(Set.of()).ran());
        assertEquals(List.of("fixed", "found"), first.tta(Set.of()).ran());
        first.ensemble();
        submission = Files.readAllBytes(first.submit());
    }

    @Test
    void afterTheOutputFolderIsDeletedNothingIsComputedAndTheSubmissionIsTheSame() throws Exception {
        Path copy = copy(project, root.resolve("cleaned"));
        delete(copy.resolve("target"));
        CollectedLog log = new CollectedLog();
        Experiment rebuilt = open(copy, log);
        StageReport training = rebuilt.train(Set.of());
        assertEquals(List.of(), training.ran(), log.lines.toString());
        assertEquals(List.of(), log.runs(StageId.LR_FIND), "the lr finder's curve came from the cache too");
        assertTrue(log.has("found: lr finder curve for key "), log.lines.toString());
        assertTrue(log.has("fixed: weights for key ") && log.has("restored from the machine cache " + cacheDir),
                log.lines.toString());
        assertEquals(List.of(), rebuilt.tta(Set.of()).ran());
        rebuilt.ensemble();
        assertArrayEquals(submission, Files.readAllBytes(rebuilt.submit()), "same bytes as the build that trained");
        assertTrue(Files.isRegularFile(copy.resolve("target/paddy/members/fixed/model.params")),
                "the build's own view in target/ holds the restored weights");
    }

    @Test
    void anotherExperimentOnTheMachineWithTheSameMemberReusesItUnderItsOwnName() throws Exception {
        Path other = copy(project, root.resolve("other"));
        delete(other.resolve("target"));
        TinyPaddy.manifest(other, TinyPaddy.minimalYaml(MEMBERS.replace("name: fixed", "name: renamed")
                .replace("seed: 5", "seed: 5\n  # another experiment's manifest, the same member")));
        Experiment experiment = open(other, new CollectedLog());
        StageReport training = experiment.train(Set.of());
        // A member's seed comes from the base and its name: renamed, it is another member and trains.
        assertEquals(List.of("renamed"), training.ran());
        assertEquals(StageReport.Outcome.CACHED, training.of("found").orElseThrow().outcome());
    }

    @Test
    void aDamagedEntryIsTrainedAgainAndReplaced() throws Exception {
        Path copy = copy(project, root.resolve("damaged"));
        Path ownCache = copy(cacheDir, root.resolve("damaged-cache"));
        delete(copy.resolve("target"));
        String key = dev.paddy.io.Json.read(project.resolve("target/paddy/members/fixed/training.json"),
                TrainingRecord.class, why -> { }).orElseThrow().key();
        Path weights = ownCache.resolve("models").resolve(key).resolve("model.params");
        byte[] original = Files.readAllBytes(weights);
        byte[] damaged = original.clone();
        damaged[damaged.length / 2] ^= 0x55;
        Files.write(weights, damaged);
        delete(ownCache.resolve("predictions")); // else the cached predictions spare the member its weights
        CollectedLog log = new CollectedLog();
        Experiment experiment = Experiment.open(copy.resolve("paddy.yaml"), copy.resolve("target/paddy"), log,
                new Experiment.Options(List.of(), SharedPredictions.NONE, new MachineCache(ownCache, log::warn)));
        StageReport training = experiment.train(Set.of());
        assertEquals(List.of("fixed"), training.ran(), "the member whose cached weights were damaged trains again");
        assertTrue(training.members().stream().anyMatch(e -> e.why() instanceof Reason.Damaged), training.toString());
        assertArrayEquals(original, Files.readAllBytes(weights), "the entry was kept anew, as first trained");
    }

    private static Experiment open(Path dir, ExperimentLog log) throws Exception {
        return Experiment.open(dir.resolve("paddy.yaml"), dir.resolve("target/paddy"), log,
                new Experiment.Options(List.of(), SharedPredictions.NONE, new MachineCache(cacheDir, log::warn)));
    }

    private static Path copy(Path from, Path to) throws IOException {
        FaultProject.copy(from, to);
        return to;
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
