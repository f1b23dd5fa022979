package dev.paddy.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two builds on one output folder: the second waits for the first; a killed build leaves no stale lock. */
class ExperimentLockTest {
    @TempDir
    Path dir;

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

    private static void awaitLocked(Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() < deadline && process.isAlive()
                && !(Files.exists(log) && Files.readString(log).contains("locked"))) {
            Thread.sleep(10);
        }
        assertTrue(Files.readString(log).contains("locked"), Files.readString(log));
    }
}
