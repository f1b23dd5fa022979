package dev.paddy.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddy.ChildJvm;
import dev.paddy.Training;
import dev.paddy.io.DiskFullException;
import dev.paddy.train.Checkpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A disk that fills while a checkpoint, the weights, the predictions or the item cache is
 * written: the build fails with a message naming the file, what it needs and what is free; the
 * previous checkpoint and every earlier result stay whole; the next build, with space again,
 * carries on and ends with the same bytes as a build that never ran out. The full disk is
 * simulated at a named file by the write-fault hook ({@code -Dpaddy.test.fault=disk-full:...}),
 * and, where the tests may mount file systems (root), made real with a size-limited tmpfs. A disk
 * that fills after the training stage fills in a build that starts from the output folder as the
 * reference build's training stage left it ({@link FaultProject#reference}): it trains nothing.
 */
@Training
class DiskFullTest {
    @TempDir
    Path dir;

    static Path manifest;
    static Path reference;
    static Path trained;

    @BeforeAll
    static void uninterrupted() throws Exception {
        FaultProject.Reference shared = FaultProject.reference();
        manifest = shared.manifest();
        reference = shared.complete();
        trained = shared.trained();
    }

    /** What a full disk at some file leaves, and how the next build says it carries on. */
    enum Left { CHECKPOINT_OF_EPOCH_1, CHECKPOINT_OF_EPOCH_3, WEIGHTS, NOTHING }

    /**
     * @param glob the file the disk fills at (under the output folder)
     * @param free the bytes free there
     * @param needed the bytes the file needs, where the test knows them (0: more than {@code free})
     */
    record Case(String name, String glob, long free, Needed needed, Left left, String nextSays) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** The size of the file that did not fit, from the reference build. */
    @FunctionalInterface
    interface Needed {
        long bytes() throws IOException;
    }

    static Stream<Case> cases() {
        Needed weights = () -> Files.size(reference.resolve("members/res/model.params"));
        return Stream.of(
                new Case("a checkpoint's parameters (epoch 2)", "members/res/checkpoint/epoch-2.params", 4096, weights,
                        Left.CHECKPOINT_OF_EPOCH_1, "res: resuming after epoch 1 of 3"),
                new Case("a checkpoint's optimizer state (epoch 2)", "members/res/checkpoint/epoch-2.optimizer", 4096,
                        () -> 0, Left.CHECKPOINT_OF_EPOCH_1, "res: resuming after epoch 1 of 3"),
                new Case("a checkpoint's progress.json (epoch 2)", "members/res/checkpoint/progress.json#2", 100,
                        () -> 0, Left.CHECKPOINT_OF_EPOCH_1, "res: resuming after epoch 1 of 3"),
                new Case("the trained weights", "members/res/model.params", 4096, weights, Left.CHECKPOINT_OF_EPOCH_3,
                        "res: resuming after epoch 3 of 3"),
                new Case("the predictions", "predictions/res-*.probs", 100,
                        () -> Files.size(FaultProject.onlyPredictions(reference)), Left.WEIGHTS, "res: TTA runs (new)"),
                // 6 test items of 16 x 16 x 3 bytes, a flag each, a 48-byte header: checked before decoding.
                new Case("the item cache", "items/items-*.u8", 4096, () -> 48 + 6 + 6 * 16 * 16 * 3, Left.NOTHING,
                        "decoded 6 test images"));
    }

    @ParameterizedTest(name = "disk full at {0}")
    @MethodSource("cases")
    void theBuildSaysWhatItNeedsKeepsEveryEarlierResultAndTheNextBuildCarriesOn(Case c) throws Exception {
        Path out = dir.resolve("paddy");
        boolean afterTraining = c.left() == Left.WEIGHTS; // the file that does not fit is written after training
        if (afterTraining) {
            FaultProject.copy(trained, out);
        }
        String glob = c.glob().replaceFirst("#\\d+$", "");
        String nth = c.glob().contains("#") ? c.glob().substring(c.glob().indexOf('#')) : "";
        String fault = "disk-full" + nth + ":" + out.toAbsolutePath() + "/" + glob + ":" + c.free();
        CollectedLog log = new CollectedLog();
        DiskFullException full = assertThrows(DiskFullException.class,
                () -> FaultProject.buildWithFault(fault, manifest, out, log));
        if (afterTraining) {
            assertEquals(List.of(), log.runs(StageId.TRAIN), "its training was done");
        }

        assertTrue(out.getFileSystem().getPathMatcher("glob:" + out.toAbsolutePath() + "/" + glob).matches(full.file()),
                full.file() + " is " + glob);
        assertEquals(c.free(), full.free());
        long needed = c.needed().bytes();
        assertTrue(needed == 0 ? full.needed() > c.free() : full.needed() == needed, full.needed() + " bytes needed");
        assertEquals(new DiskFullException(full.file(), full.needed(), c.free(), null).getMessage(), full.getMessage());
        assertTrue(full.getMessage().startsWith(full.file() + ": the disk is full: writing this file needs "),
                full.getMessage());
        assertLeft(out, c.left());

        CollectedLog next = new CollectedLog();
        FaultProject.build(manifest, out, next);
        assertTrue(next.has(c.nextSays()), next.lines.toString());
        assertTrue(next.lines.stream().noneMatch(l -> l.startsWith("WARN")), "nothing was damaged: " + next.lines);
        FaultProject.assertWhole(out, reference);
        FaultProject.assertSameResult(out, reference);
    }

    /** Real full disks: the output's member folder, or its predictions folder, on a tmpfs too small. */
    enum Real { CHECKPOINT, PREDICTIONS }

    @ChildJvm
    @ParameterizedTest(name = "a real full tmpfs at {0}")
    @MethodSource("reals")
    void aRealFullFileSystemToo(Real real) throws Exception {
        Path out = dir.resolve("paddy");
        long params = Files.size(reference.resolve("members/res/model.params"));
        if (real == Real.PREDICTIONS) { // written after training
            FaultProject.copy(trained, out);
        }
        // The member folder holds one checkpoint (parameters, and an optimizer state of about twice
        // their size) and half a parameter file more: epoch 2's parameters do not fit.
        Path mount = Files.createDirectories(out.resolve(real == Real.CHECKPOINT ? "members/res" : "predictions"));
        long size = real == Real.CHECKPOINT ? params / 2 * 7 + (1 << 20) : 8 * 4096;
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mount.toString()) == 0,
                "mounting a tmpfs needs root (CAP_SYS_ADMIN); the simulated full disks above cover the same cases");
        try {
            Path filler = mount.resolve("filler");
            if (real == Real.PREDICTIONS) {
                Files.write(filler, new byte[8 * 4096]); // the 8 pages the tmpfs has
            }
            CollectedLog log = new CollectedLog();
            DiskFullException full = assertThrows(DiskFullException.class, () -> FaultProject.build(manifest, out, log));
            if (real == Real.PREDICTIONS) {
                assertEquals(List.of(), log.runs(StageId.TRAIN), "its training was done");
            }
            assertTrue(full.getMessage().startsWith(full.file() + ": the disk is full: writing this file needs "),
                    full.getMessage());
            assertTrue(full.getCause().getMessage().contains("No space left on device"), full.getCause().toString());
            assertEquals(Files.getFileStore(mount).getUsableSpace(), full.free());
            assertTrue(full.needed() > full.free(), full.getMessage());
            if (real == Real.CHECKPOINT) {
                assertEquals(mount.resolve("checkpoint/epoch-2.params"), full.file());
                assertEquals(params, full.needed());
                assertLeft(out, Left.CHECKPOINT_OF_EPOCH_1);
                assertEquals(0, run("mount", "-o", "remount,size=" + (params * 8), mount.toString()));
            } else {
                assertEquals(FaultProject.onlyPredictions(reference).getFileName(), full.file().getFileName());
                Files.delete(filler); // space back (and the filler is no file of the build's)
                assertLeft(out, Left.WEIGHTS);
            }
            CollectedLog next = new CollectedLog();
            FaultProject.build(manifest, out, next);
            if (real == Real.CHECKPOINT) {
                assertTrue(next.has("res: resuming after epoch 1 of 3"), next.lines.toString());
            } else {
                assertEquals(List.of(new StageEvent.Runs(StageId.TTA, "res", new Reason.New())), next.runs(StageId.TTA));
            }
            FaultProject.assertWhole(out, reference);
            FaultProject.assertSameResult(out, reference);
        } finally {
            run("umount", "-l", mount.toString());
        }
    }

    static Stream<Real> reals() {
        return Stream.of(Real.values());
    }

    /** What the failed build left: the files before the one that did not fit, whole, and no temporary file. */
    private static void assertLeft(Path out, Left left) throws IOException {
        assertEquals(List.of(), FaultProject.temporaries(out), "the partial file is gone");
        FaultProject.assertWhole(out, reference);
        Path checkpoint = out.resolve("members/res/checkpoint");
        Optional<Checkpoints.Saved> saved = Files.isDirectory(checkpoint)
                ? new Checkpoints(checkpoint, FaultProject.checkpointKey(checkpoint)).latest(note -> { })
                : Optional.empty();
        switch (left) {
            case CHECKPOINT_OF_EPOCH_1, CHECKPOINT_OF_EPOCH_3 -> {
                assertEquals(left == Left.CHECKPOINT_OF_EPOCH_1 ? 1 : 3, saved.orElseThrow().epochsDone());
                List<String> files = new ArrayList<>();
                try (Stream<Path> list = Files.list(checkpoint)) {
                    list.forEach(f -> files.add(f.getFileName().toString()));
                }
                int epoch = left == Left.CHECKPOINT_OF_EPOCH_1 ? 1 : 3;
                assertEquals(List.of("epoch-" + epoch + ".optimizer", "epoch-" + epoch + ".params", "progress.json"),
                        files.stream().sorted().toList(), "the previous checkpoint, and no part of the next");
                assertFalse(Files.exists(out.resolve("members/res/model.params")));
            }
            case WEIGHTS -> {
                assertTrue(Files.isRegularFile(out.resolve("members/res/model.params")));
                assertTrue(Files.isRegularFile(out.resolve("members/res/training.json")));
                assertFalse(Files.exists(checkpoint), "the member was recorded: its checkpoint is gone");
            }
            case NOTHING -> assertFalse(Files.exists(out.resolve("members")), "nothing was trained");
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        return process.waitFor(1, TimeUnit.MINUTES) ? process.exitValue() : -1;
    }
}
