package dev.paddy.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.paddy.TinyPaddy;
import dev.paddy.Training;
import dev.paddy.io.Json;
import dev.paddy.report.ReportModel;
import dev.paddy.train.EpochMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code paddy:lr-find} and {@code lr: find} on a small real problem (3 Fashion-MNIST classes,
 * real DJL training): the range test writes its curve, plot and table and is cached by key; the
 * member trains at the valley, which is in its key and in the log. (That the valley trains and 100
 * times it diverges: train/LrFinderTest.)
 */
class LrFindTest {
    @TempDir
    Path dir;

    static final String MEMBERS = """
            defaults:
              epochs: 3
              batch_size: 16
              item: {resize: squish, size: 28}
              input_size: 24
              seed: 5
            members:
              - name: res
                arch: resnet18
                lr: %s
            tta: {n: 0}
            """;

    /**
     * Also (issue 20): bound in a build, the lr finder runs for the lr: find member only, not for
     * 'fixed'; by hand, for every member.
     */
    @Training
    @Test
    void lrFindWritesItsCurveAndPlotAndTheMemberTrainsAtTheValley() throws Exception {
        TinyPaddy.create(dir, 3, 40, 6);
        TinyPaddy.manifest(dir, TinyPaddy.minimalYaml(MEMBERS.formatted("find")
                .replace("tta:", "  - {name: fixed, arch: resnet18, lr: 0.003}\ntta:")));
        CollectedLog log = new CollectedLog();
        Experiment experiment = open(log);

        StageReport found = experiment.lrFind(Set.of(), false, true);
        assertEquals(List.of("res"), found.ran(), "as bound in a build: the lr: find member only");
        assertFalse(Files.exists(experiment.layout().lrFind("fixed")), "no range test for a member with a fixed lr");
        LrFindRecord record = Json.read(experiment.layout().lrFind("res"), LrFindRecord.class, why -> { }).orElseThrow();
        byte[] png = Files.readAllBytes(experiment.layout().lrFindPlot("res"));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4), "a PNG plot");
        assertTrue(log.has("valley") && log.has("slide") && log.has("steep") && log.has("minimum"), log.lines.toString());
        assertEquals(List.of("valley", "slide", "steep", "minimum"),
                record.suggestions().stream().map(LrFindRecord.Suggestion::method).toList());
        double valley = record.valley().orElseThrow();
        System.out.printf(Locale.ROOT, "lr finder: %d steps, %s; valley %.3g%n", record.lrs().size(), record.state(), valley);

        assertEquals(List.of(), experiment.lrFind(Set.of(), false, true).ran(), "cached by key");
        ResolvedMember member = experiment.members(Set.of()).get(0);
        assertEquals(valley, member.training().lr(), "lr: find takes the valley");
        assertEquals(Double.toString(valley), member.keys().trainingInputs().get("lr"), "the chosen lr is in the key");

        experiment.train(Set.of("res"));
        assertTrue(log.has(String.format(Locale.ROOT, "lr %.2e (lr finder's valley)", valley)), "the chosen lr is logged");
        List<EpochMetrics> epochs = Json.read(experiment.layout().trainingRecord("res"), TrainingRecord.class, why -> { })
                .orElseThrow().epochs();
        assertTrue(epochs.get(epochs.size() - 1).errorRate() < 0.5, "trained at the valley, it learned: " + epochs);

        assertEquals(List.of("lr-find", "train"), experiment.reportModel().stages().stream()
                .map(ReportModel.StageRun::stage).toList(), "the lr finder's run is a stage of the report");
        String html = Files.readString(experiment.report());
        int section = html.indexOf("<section id=\"stages\">");
        String stages = html.substring(section, html.indexOf("</section>", section));
        assertTrue(stages.contains(">lr-find<") && stages.indexOf(">lr-find<") < stages.indexOf(">train<"),
                "the Stages table has an lr-find row before train: " + stages);

        assertEquals(List.of("fixed"), experiment.lrFind(Set.of(), false, false).ran(),
                "by hand: every member, the cached one kept");
        assertTrue(Files.exists(experiment.layout().lrFind("fixed")));
    }

    @Test
    void aGoalAfterLrFindNeverStartsTheLrFinderAndNamesTheGoalThatDoes() throws Exception {
        TinyPaddy.create(dir, 3, 40, 6);
        TinyPaddy.manifest(dir, TinyPaddy.minimalYaml(MEMBERS.formatted("find")));
        Experiment experiment = open(new CollectedLog());
        for (Executable goal : List.<Executable>of(() -> experiment.tta(Set.of()), experiment::ensemble, experiment::submit)) {
            ExperimentException e = assertThrows(ExperimentException.class, goal);
            assertTrue(e.getMessage().startsWith("member 'res' has no lr finder curve (lr: find) for its current"
                    + " configuration, which paddy:"), e.getMessage());
            assertTrue(e.getMessage().endsWith("; run 'mvn paddy:lr-find' (or 'mvn package') first"), e.getMessage());
        }
        assertFalse(Files.exists(experiment.layout().lrFind("res")), "no curve was made");
    }

    private Experiment open(ExperimentLog log) throws Exception {
        return Experiment.open(dir.resolve("paddy.yaml"), dir.resolve("target/paddy"), log);
    }
}
