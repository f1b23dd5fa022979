package dev.paddy.train;

import java.time.Duration;

/** Lets progress through at most once per interval: a long epoch or lr finder says where it is, not every step. */
public final class Throttle {
    /** How often long work reports its progress in the log. */
    public static final Duration PROGRESS = Duration.ofSeconds(20);

    private final long intervalNanos;
    private long last;

    public Throttle(Duration interval) {
        this.intervalNanos = interval.toNanos();
        restart();
    }

    /** Counts the interval from now. */
    public void restart() {
        last = System.nanoTime();
    }

    /** Whether the interval has passed since the last time this said yes (or the start); if so, it starts again. */
    public boolean due() {
        long now = System.nanoTime();
        if (now - last <= intervalNanos) {
            return false;
        }
        last = now;
        return true;
    }
}
