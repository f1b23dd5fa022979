package dev.paddy.report;

import dev.paddy.io.AtomicFiles;
import dev.paddy.report.ReportModel.Member;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The experiment report as one self-contained HTML file: styles inline, every picture a
 * {@code data:} URI, no script, and a Content-Security-Policy that lets the page load nothing
 * else, so it opens from disk with a double click, offline, and shows the same anywhere. Sections
 * have stable ids: {@code run}, {@code stages}, {@code ensemble}, {@code member-<name>} (with
 * {@code -training}, {@code -schedule}, {@code -lr-find}, {@code -confusion}, {@code -top-losses},
 * {@code -memory}) and {@code skipped}. Charts and thumbnails are drawn without a display.
 */
public final class HtmlReport {
    static {
        // Before any AWT class loads: draw into images only, never open a display (CI, ssh, a Mac's Dock).
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private HtmlReport() {}

    /** Writes the report to {@code indexHtml} atomically: readers see the previous report or this one. */
    public static void write(ReportModel model, Path indexHtml) throws IOException {
        AtomicFiles.writeString(indexHtml, html(model));
    }

    static String html(ReportModel model) {
        List<Member> members = model.members() == null ? List.of() : model.members();
        String manifest = model.run() == null || model.run().manifest() == null ? "" : model.run().manifest();
        String name = manifest.isEmpty() ? "experiment" : Path.of(manifest).getFileName().toString();
        StringBuilder out = new StringBuilder(1 << 20);
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; ")
                .append("style-src 'unsafe-inline'\">\n")
                .append("<meta name=\"generator\" content=\"paddy").append(model.run() == null ? ""
                        : " " + Html.esc(model.run().plugin())).append("\">\n")
                .append("<title>paddy report · ").append(Html.esc(name)).append("</title>\n<style>\n")
                .append(Stylesheet.CSS).append("</style>\n</head>\n<body>\n<div class=\"layout\">\n")
                .append(nav(name, model, members)).append("<main>\n").append(header(name, model, members))
                .append(RunSections.run(model.run()))
                .append(RunSections.stages(model.stages()))
                .append(RunSections.ensemble(model.ensemble()));
        for (Member member : members) {
            out.append(MemberSection.html(member));
        }
        return out.append(RunSections.skipped(members)).append("</main>\n</div>\n</body>\n</html>\n").toString();
    }

    private static String nav(String name, ReportModel model, List<Member> members) {
        StringBuilder out = new StringBuilder("<nav class=\"toc\" aria-label=\"sections\">\n")
                .append("<p class=\"brand\">paddy report</p>\n<p class=\"sub\">").append(Html.esc(name))
                .append(model.run() == null || model.run().written() == null ? "" : "<br>" + Html.esc(model.run().written()))
                .append("</p>\n<ol>\n").append(link("run", "Run")).append(link("stages", "Stages"))
                .append(link("ensemble", "Ensemble"));
        if (!members.isEmpty()) {
            out.append("<li class=\"group\">Members</li>\n");
        }
        for (Member m : members) {
            out.append("<li><a href=\"#").append(MemberSection.id(m)).append("\">").append(Html.esc(m.name()))
                    .append("</a></li>\n");
        }
        return out.append(link("skipped", "Skipped images")).append("</ol>\n</nav>\n").toString();
    }

    private static String link(String id, String text) {
        return "<li><a href=\"#" + id + "\">" + text + "</a></li>\n";
    }

    /** The title and the figures people look for first. */
    private static String header(String name, ReportModel model, List<Member> members) {
        StringBuilder out = new StringBuilder("<header class=\"top\">\n<h1>Experiment report: ")
                .append(Html.esc(name)).append("</h1>\n");
        if (model.run() != null) {
            out.append("<p>").append(Html.text(model.run().device())).append(" · paddy ")
                    .append(Html.text(model.run().plugin())).append(" · written ").append(Html.text(model.run().written()))
                    .append("</p>\n");
        }
        Double accuracy = model.ensemble() == null ? null : model.ensemble().accuracy();
        double seconds = model.stages() == null ? 0 : model.stages().stream().mapToDouble(s -> s.seconds()).sum();
        return out.append("<div class=\"summary\">")
                .append(card(accuracy == null ? Html.NOT_RECORDED : Html.pct(accuracy), "ensemble test accuracy"))
                .append(card(String.valueOf(members.size()), "members"))
                .append(card(Html.num(seconds, 1) + " s", "in the stages' last runs"))
                .append("</div>\n</header>\n").toString();
    }

    private static String card(String valueHtml, String label) {
        return "<div><b>" + valueHtml + "</b><span>" + label + "</span></div>";
    }
}
