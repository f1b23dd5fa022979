package dev.paddy.report;

import java.util.Locale;

/** Escaping and number formats for the report's HTML: every text from the model goes through {@link #esc}. */
final class Html {
    /** What a null figure shows: the figure was not recorded, it did not vanish. */
    static final String NOT_RECORDED = "<span class=\"na\">not recorded</span>";

    private Html() {}

    static String esc(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** The text escaped, or "not recorded" for null. */
    static String text(String text) {
        return text == null ? NOT_RECORDED : esc(text);
    }

    /** A number with {@code decimals} places, "not recorded" for null, a dash for NaN. */
    static String num(Double value, int decimals) {
        if (value == null) {
            return NOT_RECORDED;
        }
        if (value.isNaN()) {
            return "–";
        }
        return String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }

    /** A fraction as a percentage: 0.1234 → "12.34 %". */
    static String pct(Double fraction) {
        if (fraction == null) {
            return NOT_RECORDED;
        }
        return fraction.isNaN() ? "–" : String.format(Locale.ROOT, "%.2f %%", 100 * fraction);
    }

    /** A learning rate in the form people read them: 2.00e-03. */
    static String lr(double value) {
        return String.format(Locale.ROOT, "%.2e", value);
    }

    /** An id fragment from a member name: letters, digits, '.', '_' and '-' are kept, anything else becomes '-'. */
    static String idPart(String name) {
        return name == null ? "" : name.replaceAll("[^A-Za-z0-9._-]", "-");
    }
}
