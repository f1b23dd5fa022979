package dev.paddy.experiment;

import dev.paddy.io.Json;
import java.io.PrintStream;
import java.util.Optional;

/**
 * A worker's log, as the build relays it: each message is one line on the worker's standard output,
 * {@code @paddy-worker {"level":"info","text":"..."}}; every other line (the JVM's, the engine's)
 * goes only to the worker's output file. A failure the user is to read is an {@code error} line.
 */
final class WorkerLog implements ExperimentLog {
    private static final String MARK = "@paddy-worker ";

    /** One relayed message: {@code info}, {@code warn} or {@code error}. */
    record Line(String level, String text) {}

    private final PrintStream out;
    private volatile boolean muted;

    WorkerLog(PrintStream out) {
        this.out = out;
    }

    /** Whether messages are dropped: while the worker opens the experiment, which the build has already said. */
    void mute(boolean mute) {
        this.muted = mute;
    }

    @Override
    public void info(String message) {
        send("info", message);
    }

    @Override
    public void warn(String message) {
        send("warn", message);
    }

    /** The failure the build says for this member. */
    void error(String message) {
        muted = false;
        send("error", message);
    }

    private void send(String level, String text) {
        if (!muted) {
            out.println(MARK + Json.toJsonLine(new Line(level, text)));
            out.flush();
        }
    }

    /** The message a line of a worker's output carries, if it is one. */
    static Optional<Line> parse(String line) {
        if (!line.startsWith(MARK)) {
            return Optional.empty();
        }
        try {
            Line parsed = Json.fromJson(line.substring(MARK.length()), Line.class);
            return parsed == null || parsed.level() == null || parsed.text() == null ? Optional.empty() : Optional.of(parsed);
        } catch (RuntimeException e) {
            return Optional.empty(); // a line cut by a crash: it stays in the output file
        }
    }
}
