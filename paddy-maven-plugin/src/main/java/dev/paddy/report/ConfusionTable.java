package dev.paddy.report;

import java.util.List;
import java.util.Locale;

/**
 * The validation confusion matrix as an HTML table: actual classes down, predicted across, every
 * count readable. Each cell is shaded by its share of the actual class (blue on the diagonal,
 * red off it), so a class's mistakes stand out whatever its size; the last column is its recall.
 */
final class ConfusionTable {
    private ConfusionTable() {}

    static String html(int[][] confusion, List<String> vocabulary) {
        int n = confusion.length;
        StringBuilder out = new StringBuilder(4096);
        out.append("<div class=\"scroll\"><table class=\"confusion\">\n<thead><tr>")
                .append("<th class=\"corner\">actual \\ predicted</th>");
        for (int c = 0; c < n; c++) {
            out.append("<th class=\"pred\"><span>").append(Html.esc(label(vocabulary, c))).append("</span></th>");
        }
        out.append("<th class=\"pred total\"><span>images</span></th><th class=\"pred total\"><span>recall</span></th>")
                .append("</tr></thead>\n<tbody>\n");
        int correct = 0;
        int all = 0;
        for (int a = 0; a < n; a++) {
            int rowTotal = 0;
            for (int count : confusion[a]) {
                rowTotal += count;
            }
            out.append("<tr><th class=\"actual\">").append(Html.esc(label(vocabulary, a))).append("</th>");
            for (int p = 0; p < confusion[a].length; p++) {
                int count = confusion[a][p];
                double share = rowTotal == 0 ? 0 : count / (double) rowTotal;
                out.append("<td class=\"cell").append(count == 0 ? " zero" : "").append("\" style=\"")
                        .append(shade(share, a == p)).append("\" title=\"")
                        .append(Html.esc(String.format(Locale.ROOT, "actual %s, predicted %s: %d (%.1f %% of %s)",
                                label(vocabulary, a), label(vocabulary, p), count, 100 * share, label(vocabulary, a))))
                        .append("\">").append(count).append("</td>");
            }
            int hit = a < confusion[a].length ? confusion[a][a] : 0;
            correct += hit;
            all += rowTotal;
            out.append("<td class=\"num total\">").append(rowTotal).append("</td><td class=\"num total\">")
                    .append(rowTotal == 0 ? "–" : Html.pct(hit / (double) rowTotal)).append("</td></tr>\n");
        }
        out.append("</tbody>\n<tfoot><tr><th class=\"actual\">all</th><td colspan=\"").append(n)
                .append("\"></td><td class=\"num total\">").append(all).append("</td><td class=\"num total\">")
                .append(all == 0 ? "–" : Html.pct(correct / (double) all)).append("</td></tr></tfoot>\n</table></div>\n");
        return out.toString();
    }

    private static String label(List<String> vocabulary, int index) {
        return vocabulary != null && index < vocabulary.size() ? vocabulary.get(index) : "class " + index;
    }

    /** A background whose strength is the share (0..1), and a text colour that stays readable on it. */
    private static String shade(double share, boolean diagonal) {
        if (share == 0) {
            return "";
        }
        double alpha = 0.08 + 0.87 * Math.sqrt(share); // small mistakes must still show
        String rgb = diagonal ? "31,119,180" : "214,39,40";
        return String.format(Locale.ROOT, "background:rgba(%s,%.2f)%s", rgb, alpha, alpha > 0.55 ? ";color:#fff" : "");
    }
}
