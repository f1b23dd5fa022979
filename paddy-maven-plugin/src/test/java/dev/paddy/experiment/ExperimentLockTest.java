package dev.paddy.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddy.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two builds on one output folder: the second waits for the first; a killed build leaves no stale lock. */
class ExperimentLockTest {
    @TempDir
    Path dir;

    @ChildJvm
    @Test
    void aSecondBuildWaitsForTheFirstAndAKilledOneReleasesTheLock() throws Exception {
        Path out = dir.resolve("paddy");
        Process holder = ChildBuild.start(dir.resolve("holder.log"), "hold", out.toString(), "2500");
        awaitLocked(holder, dir.resolve("holder.log"));

        CollectedLog log = new CollectedLog();
        try (ExperimentLock lock = ExperimentLock.acquire(out, log)) {
            assertTrue(log.has("waiting for another build that uses " + out + " to finish (pid " + holder.pid()),
                    log.lines.toString());
            assertTrue(holder.waitFor(1, TimeUnit.MINUTES), "the holder ended");
            assertEquals(0, holder.exitValue());
            assertTrue(Files.readString(out.resolve(".lock")).startsWith("pid " + ProcessHandle.current().pid()));
        }

        Process killed = ChildBuild.start(dir.resolve("killed.log"), "hold", out.toString(), "600000");
        awaitLocked(killed, dir.resolve("killed.log"));
        killed.destroyForcibly();
        killed.waitFor(1, TimeUnit.MINUTES);
        CollectedLog after = new CollectedLog();
        try (ExperimentLock lock = ExperimentLock.acquire(out, after)) {
            assertFalse(after.has("waiting"), "the OS released the killed build's lock: " + after.lines);
        }
    }

    @ChildJvm
    @Test
    void aBuildHoldsTheLockFromItsFirstGoalToItsEndSoNoOtherBuildWritesBetweenItsGoals() throws Exception {
        Path out = dir.resolve("paddy");
        Object build = new Object();
        ExperimentLock.holdForBuild(build, out, new CollectedLog()); // its submit
        Process other = ChildBuild.start(dir.resolve("other.log"), "hold", out.toString(), "10");
        try {
            awaitSaid(other, dir.resolve("other.log"), "waiting for another build that uses " + out);
            CollectedLog upload = new CollectedLog();
            ExperimentLock.holdForBuild(build, out, upload); // its upload, after submit's goal has ended
            assertEquals(List.of(), upload.lines, "the same build: the lock is still its own");
            assertTrue(other.isAlive() && !Files.readString(dir.resolve("other.log")).contains("locked"),
                    "the other build still waits");
        } finally {
            ExperimentLock.endBuild(build);
        }
        assertTrue(other.waitFor(1, TimeUnit.MINUTES), "the other build got the lock once this one ended");
        assertTrue(Files.readString(dir.resolve("other.log")).contains("locked"), Files.readString(dir.resolve("other.log")));
    }

    @Test
    void aLaterBuildInTheSameJvmTakesTheFolderFromAnEndedOne() throws Exception {
        Path out = dir.resolve("paddy");
        Object first = new Object();
        Object second = new Object();
        ExperimentLock.holdForBuild(first, out, new CollectedLog());
        CollectedLog log = new CollectedLog();
        ExperimentLock.holdForBuild(second, out, log);
        assertFalse(log.has("waiting"), "a daemon's builds run one after the other: " + log.lines);
        ExperimentLock.endBuild(second);
        ExperimentLock.endBuild(first); // nothing left to release
        try (ExperimentLock lock = ExperimentLock.acquire(out, log)) {
            assertFalse(log.has("waiting"), log.lines.toString());
        }
    }

    private static void awaitSaid(Process process, Path log, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() < deadline && process.isAlive() && !(Files.exists(log) && Files.readString(log).contains(text))) {
            Thread.sleep(10);
        }
        assertTrue(Files.readString(log).contains(text), Files.readString(log));
    }

    private static void awaitLocked(Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() < deadline && process.isAlive()
                && !(Files.exists(log) && Files.readString(log).contains("locked"))) {
            Thread.sleep(10);
        }
        assertTrue(Files.readString(log).contains("locked"), Files.readString(log));
    }
}
