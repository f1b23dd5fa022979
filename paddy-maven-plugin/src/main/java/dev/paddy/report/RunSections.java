package dev.paddy.report;

import dev.paddy.report.ReportModel.Ensemble;
import dev.paddy.report.ReportModel.EnsembleRow;
import dev.paddy.report.ReportModel.Member;
import dev.paddy.report.ReportModel.Outcome;
import dev.paddy.report.ReportModel.Run;
import dev.paddy.report.ReportModel.StageRun;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The sections about the whole experiment: the run, the stages, the ensemble, the skipped images. */
final class RunSections {
    private RunSections() {}

    static String run(Run run) {
        StringBuilder out = new StringBuilder("<section id=\"run\">\n<h2>Run</h2>\n");
        if (run == null) {
            return out.append("<p class=\"na\">The run was not recorded.</p>\n</section>\n").toString();
        }
        return out.append("<dl class=\"facts\">\n")
                .append(fact("manifest", "<code>" + Html.text(run.manifest()) + "</code>"))
                .append(fact("manifest hash", "<code class=\"hash\">" + Html.text(run.manifestHash()) + "</code>"))
                .append(fact("paddy", Html.text(run.plugin())))
                .append(fact("engine", Html.text(run.engine())))
                .append(fact("CPU", Html.text(run.cpu())))
                .append(fact("ISA", Html.text(run.isa())))
                .append(fact("device", Html.text(run.device())))
                .append(fact("threads", String.valueOf(run.threads())))
                .append(fact("report written", Html.text(run.written())))
                .append("</dl>\n</section>\n").toString();
    }

    private static String fact(String name, String valueHtml) {
        return "<dt>" + name + "</dt><dd>" + valueHtml + "</dd>\n";
    }

    /** One row per stage and member, the stage's own cells spanning its members' rows. */
    static String stages(List<StageRun> stages) {
        StringBuilder out = new StringBuilder("<section id=\"stages\">\n<h2>Stages</h2>\n");
        if (stages == null) {
            return out.append("<p class=\"na\">The stages were not recorded.</p>\n</section>\n").toString();
        }
        if (stages.isEmpty()) {
            return out.append("<p>No stage has run yet.</p>\n</section>\n").toString();
        }
        out.append("<table class=\"data stages\"><thead><tr><th>stage</th><th class=\"num\">seconds</th><th>finished</th>")
                .append("<th>member</th><th>done</th><th>why</th></tr></thead>\n");
        for (StageRun stage : stages) {
            List<Outcome> members = stage.members() == null ? List.of() : stage.members();
            int rows = Math.max(1, members.size());
            String span = rows > 1 ? " rowspan=\"" + rows + "\"" : "";
            out.append("<tbody><tr><th").append(span).append(">").append(Html.text(stage.stage())).append("</th><td")
                    .append(span).append(" class=\"num\">").append(Html.num(stage.seconds(), 2)).append("</td><td")
                    .append(span).append(">").append(Html.text(stage.finished())).append("</td>");
            if (members.isEmpty()) {
                out.append("<td colspan=\"3\" class=\"na\">no member</td></tr>\n");
            }
            for (int i = 0; i < members.size(); i++) {
                Outcome o = members.get(i);
                out.append(i == 0 ? "" : "<tr>").append("<td>").append(Html.text(o.member())).append("</td><td>")
                        .append("<span class=\"badge ").append(Html.idPart(o.outcome())).append("\">")
                        .append(Html.text(o.outcome())).append("</span></td><td>").append(Html.text(o.why()))
                        .append("</td></tr>\n");
            }
            out.append("</tbody>\n");
        }
        return out.append("</table>\n</section>\n").toString();
    }

    /**
     * The leaderboard: members best first (test accuracy, then valid error; unknowns last) and the
     * ensemble's line, highlighted, at its place by test accuracy.
     */
    static String ensemble(Ensemble ensemble) {
        StringBuilder out = new StringBuilder("<section id=\"ensemble\">\n<h2>Ensemble</h2>\n");
        if (ensemble == null) {
            return out.append("<p class=\"na\">The ensemble was not recorded (paddy:ensemble has not run).</p>\n")
                    .append("</section>\n").toString();
        }
        List<EnsembleRow> rows = new ArrayList<>(ensemble.members() == null ? List.of() : ensemble.members());
        rows.sort(Comparator.comparing(EnsembleRow::testAccuracy, Comparator.nullsLast(Comparator.reverseOrder()))
                .thenComparing(EnsembleRow::validError, Comparator.nullsLast(Comparator.naturalOrder())));
        double weights = rows.stream().mapToDouble(EnsembleRow::weight).sum();
        int at = rows.size();
        if (ensemble.accuracy() != null) {
            at = (int) rows.stream().filter(r -> r.testAccuracy() != null && r.testAccuracy() > ensemble.accuracy()).count();
        }
        out.append("<table class=\"data leaderboard\"><thead><tr><th class=\"num\">#</th><th>member</th><th>arch</th>")
                .append("<th class=\"num\">weight</th><th class=\"num\">valid error</th><th class=\"num\">test accuracy</th>")
                .append("</tr></thead><tbody>\n");
        int rank = 1;
        for (int i = 0; i <= rows.size(); i++) {
            if (i == at) {
                out.append("<tr class=\"highlight ensemble-row\"><td class=\"num\"></td><td><strong>ensemble</strong></td>")
                        .append("<td>weighted mean of ").append(rows.size()).append("</td><td class=\"num\">")
                        .append(Html.num(weights, 2)).append("</td><td class=\"num\"><span class=\"na\">–</span></td>")
                        .append("<td class=\"num\"><strong>")
                        .append(ensemble.accuracy() == null ? Html.NOT_RECORDED + " (no test labels)" : Html.pct(ensemble.accuracy()))
                        .append("</strong></td></tr>\n");
            }
            if (i < rows.size()) {
                EnsembleRow r = rows.get(i);
                out.append("<tr><td class=\"num\">").append(rank++).append("</td><td><a href=\"#member-")
                        .append(Html.idPart(r.member())).append("\">").append(Html.text(r.member())).append("</a></td><td>")
                        .append(Html.text(r.arch())).append("</td><td class=\"num\">").append(Html.num(r.weight(), 2))
                        .append("</td><td class=\"num\">").append(Html.pct(r.validError())).append("</td><td class=\"num\">")
                        .append(Html.pct(r.testAccuracy())).append("</td></tr>\n");
            }
        }
        return out.append("</tbody></table>\n</section>\n").toString();
    }

    /** Every image some member skipped, once, with its reason and the members that skipped it. */
    static String skipped(List<Member> members) {
        Map<String, String> reasons = new LinkedHashMap<>();
        Map<String, Set<String>> by = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (Member m : members) {
            if (m.skippedImages() == null) {
                unknown.add(m.name());
                continue;
            }
            for (String entry : m.skippedImages()) {
                int colon = entry.indexOf(": ");
                String image = colon < 0 ? entry : entry.substring(0, colon);
                reasons.putIfAbsent(image, colon < 0 ? null : entry.substring(colon + 2));
                by.computeIfAbsent(image, k -> new TreeSet<>()).add(m.name());
            }
        }
        StringBuilder out = new StringBuilder("<section id=\"skipped\">\n<h2>Skipped images</h2>\n");
        if (!unknown.isEmpty()) {
            out.append("<p class=\"na\">Not recorded for ").append(Html.esc(String.join(", ", unknown))).append(".</p>\n");
        }
        if (reasons.isEmpty()) {
            return out.append("<p>No training image was skipped.</p>\n</section>\n").toString();
        }
        out.append("<p>").append(reasons.size()).append(" training image(s) could not be decoded and were left out.</p>\n")
                .append("<table class=\"data\"><thead><tr><th>image</th><th>reason</th><th>members</th></tr></thead><tbody>\n");
        reasons.forEach((image, reason) -> out.append("<tr><td><code>").append(Html.esc(image)).append("</code></td><td>")
                .append(Html.text(reason)).append("</td><td>").append(Html.esc(String.join(", ", by.get(image))))
                .append("</td></tr>\n"));
        return out.append("</tbody></table>\n</section>\n").toString();
    }
}
