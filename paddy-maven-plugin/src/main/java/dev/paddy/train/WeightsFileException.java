package dev.paddy.train;

/** A parameter file that does not fit the model it should initialise; the message names the file. */
public final class WeightsFileException extends RuntimeException {
    public WeightsFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
