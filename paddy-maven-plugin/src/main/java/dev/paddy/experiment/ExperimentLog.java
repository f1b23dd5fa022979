package dev.paddy.experiment;

import dev.paddy.io.Printable;

/** Where the experiment reports what it does: Maven's log in the plugin, a collector in tests. */
public interface ExperimentLog {
    void info(String message);

    void warn(String message);

    /** A stage's event: logged as its text, as a warning where it is one; collectors keep the value too. */
    default void event(StageEvent event) {
        if (event.warning()) {
            warn(event.text());
        } else {
            info(event.text());
        }
    }

    /** Writes to standard error, for plain-Java use. */
    static ExperimentLog console() {
        return new ExperimentLog() {
            @Override
            public void info(String message) {
                System.err.println("[paddy] " + Printable.lines(message));
            }

            @Override
            public void warn(String message) {
                System.err.println("[paddy] WARNING " + Printable.lines(message));
            }
        };
    }
}
