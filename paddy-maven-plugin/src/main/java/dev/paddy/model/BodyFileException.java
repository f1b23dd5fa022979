package dev.paddy.model;

/** A TorchScript body that cannot be used: the message names the file, says why and how to export one. */
public final class BodyFileException extends RuntimeException {
    public BodyFileException(String message) {
        super(message);
    }

    public BodyFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
