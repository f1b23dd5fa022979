package dev.paddy.memory;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The memory a member may use while training (a Kaggle GPU has 16280 MiB), and the safety margin
 * kept below it: a plan only accepts a peak of at most {@code bytes * (1 - margin)}.
 */
public record MemoryBudget(long bytes, double margin) {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(KiB|MiB|GiB|TiB|KB|MB|GB|TB|B)?");

    /** The largest peak a plan accepts. */
    public long limit() {
        return (long) (bytes * (1 - margin));
    }

    /** Parses "16280MiB", "14GiB", "15.5GB", "1073741824"; null if the text is not a size. */
    public static Long parseBytes(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        double value = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2);
        long factor = switch (unit) {
            case "KiB" -> 1L << 10;
            case "MiB" -> 1L << 20;
            case "GiB" -> 1L << 30;
            case "TiB" -> 1L << 40;
            case "KB" -> 1_000L;
            case "MB" -> 1_000_000L;
            case "GB" -> 1_000_000_000L;
            case "TB" -> 1_000_000_000_000L;
            default -> 1L;
        };
        return (long) (value * factor);
    }

    public static String format(long bytes) {
        return String.format(Locale.ROOT, "%.0f MiB", bytes / (double) (1L << 20));
    }

    @Override
    public String toString() {
        return format(bytes) + " - " + Math.round(margin * 100) + "% margin";
    }
}
