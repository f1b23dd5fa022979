package dev.paddy.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddy.ChildJvm;
import dev.paddy.Training;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * kill -9 while a build predicts or writes any of its files, then the same build again: no
 * partial file is ever taken for a whole one, the temporary file the kill left is removed, and
 * the build ends with the same bytes as an uninterrupted one. The builds killed are real ones in
 * a JVM of their own (ChildBuild), halted at a named point by a test hook: {@code
 * -Dpaddy.test.fault} halts while a named file is written (half of it in its temporary file) or
 * just before its rename, {@code -Dpaddy.test.haltOnRun} when a stage begins for a member. A kill
 * during an epoch's training is ResumeTest's. A build killed after its training stage starts from
 * the output folder as the reference build's training stage left it ({@link FaultProject#reference}),
 * the training it would otherwise repeat being no part of the case.
 */
@Training
@ChildJvm
class KillTest {
    @TempDir
    Path dir;

    static Path manifest;
    static Path reference;
    static Path trained;

    /**
     * @param option the child JVM's hook
     * @param temporary the temporary file the kill leaves (a glob under the output folder), or null
     * @param nextSays a line of the next build's log that says how it carries on
     * @param afterTraining the kill comes after the training stage: the killed build starts from
     *     {@link #trained}, where that stage has nothing left to do
     */
    record Case(String name, String option, String temporary, String nextSays, boolean afterTraining) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("while the item cache is written", "-Dpaddy.test.fault=halt-writing#1:**/items/items-*.u8",
                        "items/.items-*.u8.*.tmp", "decoded 6 test images", false),
                new Case("while a checkpoint's parameters are written (epoch 2)",
                        "-Dpaddy.test.fault=halt-writing:**/checkpoint/epoch-2.params",
                        "members/res/checkpoint/.epoch-2.params.*.tmp", "res: resuming after epoch 1 of 3", false),
                new Case("after a checkpoint's optimizer state is written, before its rename (epoch 2)",
                        "-Dpaddy.test.fault=halt-before-rename:**/checkpoint/epoch-2.optimizer",
                        "members/res/checkpoint/.epoch-2.optimizer.*.tmp", "res: resuming after epoch 1 of 3", false),
                new Case("while progress.json is written (epoch 2)",
                        "-Dpaddy.test.fault=halt-writing#2:**/checkpoint/progress.json",
                        "members/res/checkpoint/.progress.json.*.tmp", "res: resuming after epoch 1 of 3", false),
                new Case("while the trained weights are written", "-Dpaddy.test.fault=halt-writing:**/members/res/model.params",
                        "members/res/.model.params.*.tmp", "res: resuming after epoch 3 of 3", false),
                new Case("after training.json is written, before its rename",
                        "-Dpaddy.test.fault=halt-before-rename:**/members/res/training.json",
                        "members/res/.training.json.*.tmp", "res: resuming after epoch 3 of 3", false),
                new Case("during TTA", "-Dpaddy.test.haltOnRun=tta:res", null, "res: TTA runs (new)", true),
                new Case("while the predictions are written", "-Dpaddy.test.fault=halt-writing:**/predictions/*.probs",
                        "predictions/.res-*.probs.*.tmp", "res: TTA runs (new)", true),
                new Case("while the ensemble is written", "-Dpaddy.test.fault=halt-writing:**/ensemble.probs",
                        ".ensemble.probs.*.tmp", "res: TTA predictions cached", true),
                new Case("while the submission is written", "-Dpaddy.test.fault=halt-writing:**/submission.csv",
                        ".submission.csv.*.tmp", "submission: ", true),
                new Case("while the report is written", "-Dpaddy.test.fault=halt-writing:**/report/index.html",
                        "report/.index.html.*.tmp", "submission: ", true));
    }

    @BeforeAll
    static void uninterrupted() throws Exception {
        FaultProject.Reference shared = FaultProject.reference();
        manifest = shared.manifest();
        reference = shared.complete();
        trained = shared.trained();
    }

    @ParameterizedTest(name = "kill -9 {0}")
    @MethodSource("cases")
    void theNextBuildTakesNoPartialFileAndEndsWithTheSameBytes(Case c) throws Exception {
        Path out = dir.resolve("paddy");
        Path killedLog = dir.resolve("killed.log");
        if (c.afterTraining()) {
            FaultProject.copy(trained, out);
        }
        Process killed = ChildBuild.start(List.of(c.option()), killedLog, "full", manifest.toString(), out.toString());
        assertEquals(137, FaultProject.waitFor(killed), "halted as by kill -9:\n" + Files.readString(killedLog));
        if (c.afterTraining()) {
            assertTrue(Files.readString(killedLog).contains("trained 0"), "its training was done: " + Files.readString(killedLog));
        }

        // Killed where the case says, leaving that file's temporary file and nothing half-written under a final name.
        List<String> temporaries = FaultProject.temporaries(out);
        if (c.temporary() == null) {
            assertTrue(Files.readString(killedLog).contains("halting after the log line above"), Files.readString(killedLog));
            assertEquals(List.of(), temporaries);
        } else {
            assertEquals(1, temporaries.size(), temporaries.toString());
            assertTrue(out.getFileSystem().getPathMatcher("glob:" + c.temporary()).matches(Path.of(temporaries.get(0))),
                    temporaries.get(0) + " is the temporary file of " + c.temporary());
            Matcher halted = Pattern.compile("halting while writing (.*)").matcher(Files.readString(killedLog));
            assertTrue(halted.find(), Files.readString(killedLog));
            String target = out.relativize(Path.of(halted.group(1))).toString();
            assertTrue(temporaries.get(0).startsWith(
                    (target.contains("/") ? target.substring(0, target.lastIndexOf('/') + 1) : "") + "."
                            + Path.of(target).getFileName() + "."), temporaries.get(0) + " belongs to " + target);
        }
        FaultProject.assertWhole(out, reference);

        CollectedLog next = new CollectedLog();
        FaultProject.build(manifest, out, next);
        assertTrue(next.has(c.nextSays()), next.lines.toString());
        if (!temporaries.isEmpty()) {
            assertTrue(next.has("removed 1 unfinished file(s) that an interrupted build left: " + temporaries.get(0)),
                    next.lines.toString());
        }
        assertEquals(List.of(), FaultProject.temporaries(out), "no temporary file is left");
        assertTrue(next.lines.stream().noneMatch(l -> l.startsWith("WARN")), "nothing was damaged: " + next.lines);
        FaultProject.assertWhole(out, reference);
        FaultProject.assertSameResult(out, reference);
    }
}
