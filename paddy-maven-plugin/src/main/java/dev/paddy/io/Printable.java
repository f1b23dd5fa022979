package dev.paddy.io;

/**
 * Text from outside (file names, CSV ids and labels, a server's message) made safe to print: a
 * control character would move the cursor, recolour or clear a terminal (ESC), split a log line
 * or a line-per-entry file (a line break), or reorder what a reader sees (Unicode's bidirectional
 * overrides, the "Trojan Source" trick). Each is shown as a Java escape instead, {@code \n},
 * {@code \u001b}, so the text stays readable and nothing is lost.
 */
public final class Printable {
    private Printable() {}

    /** {@code text} on one line, every control character escaped. */
    public static String of(String text) {
        return escape(text, false);
    }

    /**
     * A log message that may span lines on purpose (a list of problems): line feeds are kept,
     * every other control character is escaped. The sink of every log line uses it.
     */
    public static String lines(String text) {
        return escape(text, true);
    }

    /** Whether {@code text} holds a character {@link #of} would escape. */
    public static boolean hasControl(String text) {
        return text.chars().anyMatch(Printable::isControl);
    }

    private static String escape(String text, boolean keepLineFeeds) {
        if (text == null || !hasControl(text)) {
            return text;
        }
        StringBuilder shown = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isControl(c) || (keepLineFeeds && c == '\n')) {
                shown.append(c);
            } else if (c == '\n') {
                shown.append("\\n");
            } else if (c == '\r') {
                shown.append("\\r");
            } else if (c == '\t') {
                shown.append("\\t");
            } else {
                shown.append(String.format("\\u%04x", (int) c));
            }
        }
        return shown.toString();
    }

    private static boolean isControl(int c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    }
}
