package dev.paddy.submit;

/**
 * A submission that did not happen for a reason the user can fix (credentials, the competition's
 * rules, its name, the daily limit, the network); the message says what to do and never holds a key.
 */
public final class SubmissionException extends Exception {
    public SubmissionException(String message) {
        super(message);
    }

    public SubmissionException(String message, Throwable cause) {
        super(message, cause);
    }
}
