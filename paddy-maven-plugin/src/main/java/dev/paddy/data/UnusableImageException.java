package dev.paddy.data;

import java.io.IOException;

/**
 * An image file paddy will not use, with a reason a user can act on: one line, naming what is
 * wrong with the file and what to do, never a decoder's raw message. A training image that
 * throws it is skipped; a test image that throws it fails the build.
 */
public final class UnusableImageException extends IOException {
    public UnusableImageException(String reason) {
        super(oneLine(reason));
    }

    public UnusableImageException(String reason, Throwable cause) {
        super(oneLine(reason), cause);
    }

    /**
     * {@code text} on one line: line breaks and the blanks around them become one space, and the
     * ends are trimmed. Reasons are logged and stored one per line, so a message ending in a
     * newline (OpenCV's do) must not become an empty line, or a line counted as a second image.
     */
    public static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
