package dev.paddy.export;

/** A model paddy cannot write in DJL's model-zoo layout, with what it met. */
public final class ExportException extends RuntimeException {
    public ExportException(String message) {
        super(message);
    }

    public ExportException(String message, Throwable cause) {
        super(message, cause);
    }
}
