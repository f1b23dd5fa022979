package dev.paddy.experiment;

import dev.paddy.io.AtomicFiles;
import dev.paddy.io.OutputLayout;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * One build at a time per output folder: an OS file lock on {@code <output>/.lock}, held while a
 * goal runs. A second build (another terminal, a CI job on the same workspace) waits, says whom
 * it waits for, and then finds the first build's results in the cache instead of overwriting
 * them. The OS releases the lock when a process dies, even by {@code kill -9}, so a crash never
 * leaves a stale lock behind. Within one JVM (parallel Maven builds) an in-process lock does the same.
 * Once it holds the lock, a build deletes the temporary files a killed build left ({@link AtomicFiles#removeStale}).
 * The plugin holds it for a whole build ({@link #holdForBuild}), so that no other build writes
 * between two of its goals (a submission rewritten between {@code submit} and {@code upload}).
 */
public final class ExperimentLock implements AutoCloseable {
    /** Not bound to a thread: a build's lock may be released by the thread of a later build. */
    private static final Map<Path, Semaphore> IN_PROCESS = new ConcurrentHashMap<>();
    private static final Map<Path, Held> BY_BUILD = new HashMap<>();

    private record Held(Object build, ExperimentLock lock) {}

    private final Semaphore local;
    private final FileChannel channel;
    private final FileLock lock;

    private ExperimentLock(Semaphore local, FileChannel channel, FileLock lock) {
        this.local = local;
        this.channel = channel;
        this.lock = lock;
    }

    /** Waits until no other build holds {@code outputDir}, telling {@code log} when it has to wait. */
    public static ExperimentLock acquire(Path outputDir, ExperimentLog log) throws IOException {
        Files.createDirectories(outputDir);
        Path file = new OutputLayout(outputDir).lock();
        Semaphore local = IN_PROCESS.computeIfAbsent(file, f -> new Semaphore(1));
        if (!local.tryAcquire()) {
            log.info("waiting for another build in this JVM that uses " + outputDir);
            local.acquireUninterruptibly();
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                String holder = Files.readString(file, StandardCharsets.UTF_8).trim();
                log.info("waiting for another build that uses " + outputDir + " to finish ("
                        + (holder.isEmpty() ? "holder unknown" : holder) + ")");
                long start = System.nanoTime();
                lock = channel.lock();
                log.info(String.format(java.util.Locale.ROOT, "lock on %s acquired after %.1f s", outputDir,
                        (System.nanoTime() - start) / 1e9));
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + " ("
                    + ManagementFactory.getRuntimeMXBean().getName() + ") since " + Instant.now() + "\n")
                    .getBytes(StandardCharsets.UTF_8)), 0);
            // Holding the lock, this build is the only writer here: temporary files are a killed build's.
            List<Path> stale = AtomicFiles.removeStale(outputDir);
            if (!stale.isEmpty()) {
                log.info("removed " + stale.size() + " unfinished file(s) that an interrupted build left: "
                        + String.join(", ", stale.stream().map(p -> outputDir.relativize(p).toString()).sorted().toList()));
            }
            return new ExperimentLock(local, channel, lock);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            local.release();
            throw e;
        }
    }

    /**
     * Holds {@code outputDir}'s lock for the whole of {@code build} (the Maven session): its first
     * goal acquires it, waiting for any other build; its later goals find it held. It is released
     * when the JVM ends (a plain {@code mvn}), or when another build of this JVM (a Maven daemon,
     * an IDE, which run builds one after the other) asks for the folder; {@link #endBuild} releases
     * it at once.
     */
    public static synchronized void holdForBuild(Object build, Path outputDir, ExperimentLog log) throws IOException {
        Path key = outputDir.toAbsolutePath().normalize();
        Held held = BY_BUILD.get(key);
        if (held != null && held.build() == build) {
            return;
        }
        if (held != null) { // an earlier build of this JVM: it has ended
            BY_BUILD.remove(key).lock().close();
        }
        BY_BUILD.put(key, new Held(build, acquire(outputDir, log)));
    }

    /** Releases every lock {@code build} holds. */
    public static synchronized void endBuild(Object build) throws IOException {
        for (var held = BY_BUILD.values().iterator(); held.hasNext(); ) {
            Held one = held.next();
            if (one.build() == build) {
                held.remove();
                one.lock().close();
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
            channel.close();
        } finally {
            local.release();
        }
    }
}
