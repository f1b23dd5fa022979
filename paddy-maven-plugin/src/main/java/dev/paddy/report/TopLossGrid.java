package dev.paddy.report;

import dev.paddy.report.ReportModel.TopLoss;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The validation images a member got most wrong, as fastai's {@code plot_top_losses} shows them:
 * a grid of thumbnails, each captioned predicted / actual / probability / loss.
 */
final class TopLossGrid {
    private TopLossGrid() {}

    static String html(List<TopLoss> topLosses) {
        StringBuilder out = new StringBuilder(8192);
        out.append("<p class=\"legend\">predicted / actual / probability of the prediction / loss</p>\n")
                .append("<div class=\"losses\">\n");
        for (TopLoss loss : topLosses) {
            Path image = loss.image();
            String file = image == null || image.getFileName() == null ? "no image path" : image.getFileName().toString();
            boolean wrong = loss.predicted() != null && !loss.predicted().equals(loss.actual());
            Figure thumbnail = Thumbnails.of(image);
            out.append("<figure class=\"loss\" title=\"").append(Html.esc(String.valueOf(image))).append("\">")
                    .append(thumbnail.html("validation image " + file + ": predicted " + loss.predicted()
                            + ", actual " + loss.actual(), "thumb"))
                    .append("<figcaption><span class=\"").append(wrong ? "wrong" : "right").append("\">")
                    .append(Html.esc(loss.predicted())).append("</span> / ").append(Html.esc(loss.actual()))
                    .append("<br>").append(String.format(Locale.ROOT, "%.2f / %.2f", loss.probability(), loss.loss()))
                    .append("<br><span class=\"file\">").append(Html.esc(file)).append("</span>")
                    .append(thumbnail.detail() == null ? "" : "<br><span class=\"why\">" + Html.esc(thumbnail.detail()) + "</span>")
                    .append("</figcaption></figure>\n");
        }
        return out.append("</div>\n").toString();
    }
}
