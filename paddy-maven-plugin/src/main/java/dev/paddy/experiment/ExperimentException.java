package dev.paddy.experiment;

/** A problem the user can fix (missing predictions, an unknown member name, a bad test image). */
public final class ExperimentException extends Exception {
    public ExperimentException(String message) {
        super(message);
    }

    public ExperimentException(String message, Throwable cause) {
        super(message, cause);
    }
}
