package dev.paddy.io;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test hook, inert in production: with the system property {@value #PROPERTY} unset (it always
 * is, outside paddy's own tests) every method answers "no fault" after one property lookup. Set,
 * it makes the writes of {@link AtomicFiles} to the files a glob matches behave as a fault would,
 * at a point a test can name, so that a crash or a full disk hits exactly "while this file is
 * being written":
 *
 * <pre>
 * halt-writing:&lt;glob&gt;          the JVM halts (status 137, as after kill -9) with half the file's bytes in its temporary file
 * halt-before-rename:&lt;glob&gt;    the JVM halts with the whole temporary file written and synced, before the rename
 * disk-full:&lt;glob&gt;:&lt;bytes&gt;     the disk has &lt;bytes&gt; free for each such file: writing past them fails as a full disk does
 * </pre>
 *
 * The glob is matched against the file's absolute path ({@code **}{@code /checkpoint/epoch-2.params}).
 * A mode may name the one matching write it hits, counted in this JVM from 1: {@code
 * halt-writing#2:**}{@code /progress.json} halts at the second epoch's {@code progress.json}.
 */
final class WriteFaults {
    static final String PROPERTY = "paddy.test.fault";

    enum Mode { HALT_WRITING, HALT_BEFORE_RENAME, DISK_FULL }

    /** The fault for one file: its mode, and for a full disk the bytes free. */
    record Fault(Mode mode, long freeBytes) {
        /** Throws as a full disk does when {@code total} bytes would not fit. */
        void checkSpace(long total) throws IOException {
            if (mode == Mode.DISK_FULL && total > freeBytes) {
                throw new IOException("No space left on device (simulated by " + PROPERTY + ")");
            }
        }

        void halt(Path file) {
            System.err.println("[paddy] test hook " + PROPERTY + ": halting while writing " + file);
            System.err.flush();
            Runtime.getRuntime().halt(137);
        }
    }

    /** Matching writes so far, per property value; forgotten when the property is unset. */
    private static final Map<String, AtomicInteger> SEEN = new ConcurrentHashMap<>();

    private WriteFaults() {}

    /** The fault set for {@code file}; null (nearly always) when none is. */
    static Fault forFile(Path file) {
        String spec = System.getProperty(PROPERTY);
        if (spec == null || spec.isBlank()) {
            if (!SEEN.isEmpty()) {
                SEEN.clear(); // a test that sets the property again counts from 1 again
            }
            return null;
        }
        int colon = spec.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException(PROPERTY + "=" + spec + ": expected <mode>:<glob>");
        }
        String mode = spec.substring(0, colon);
        String glob = spec.substring(colon + 1);
        int nth = 0;
        int hash = mode.indexOf('#');
        if (hash >= 0) {
            nth = Integer.parseInt(mode.substring(hash + 1));
            mode = mode.substring(0, hash);
        }
        long free = 0;
        Mode parsed = switch (mode) {
            case "halt-writing" -> Mode.HALT_WRITING;
            case "halt-before-rename" -> Mode.HALT_BEFORE_RENAME;
            case "disk-full" -> Mode.DISK_FULL;
            default -> throw new IllegalArgumentException(PROPERTY + "=" + spec + ": unknown mode '" + mode + "'");
        };
        if (parsed == Mode.DISK_FULL) {
            int last = glob.lastIndexOf(':');
            free = Long.parseLong(glob.substring(last + 1));
            glob = glob.substring(0, last);
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        if (!matcher.matches(file.toAbsolutePath().normalize())) {
            return null;
        }
        int seen = SEEN.computeIfAbsent(spec, s -> new AtomicInteger()).incrementAndGet();
        return nth == 0 || seen == nth ? new Fault(parsed, free) : null;
    }
}
