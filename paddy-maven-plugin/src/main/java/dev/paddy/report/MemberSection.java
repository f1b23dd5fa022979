package dev.paddy.report;

import dev.paddy.report.ReportModel.Environment;
import dev.paddy.report.ReportModel.Epoch;
import dev.paddy.report.ReportModel.LrFind;
import dev.paddy.report.ReportModel.Member;
import dev.paddy.report.ReportModel.Memory;
import dev.paddy.report.ReportModel.Trial;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One member's section: its curves (with the epochs' table), its schedule, the lr finder when it
 * ran, the confusion matrix, the top losses, its memory and the environment it was trained under.
 * Every part has an id
 * {@code member-<name>-<part>}; a part whose figures were not recorded says so.
 */
final class MemberSection {
    private MemberSection() {}

    static String id(Member member) {
        return "member-" + Html.idPart(member.name());
    }

    static String html(Member m) {
        String id = id(m);
        List<String[]> parts = new ArrayList<>();
        parts.add(new String[] {"training", "Training"});
        parts.add(new String[] {"schedule", "Schedule"});
        if (m.lrFind() != null) {
            parts.add(new String[] {"lr-find", "LR finder"});
        }
        parts.add(new String[] {"confusion", "Confusion matrix"});
        parts.add(new String[] {"top-losses", "Top losses"});
        parts.add(new String[] {"memory", "Memory"});
        parts.add(new String[] {"environment", "Environment"});

        StringBuilder out = new StringBuilder(1 << 16);
        out.append("<section id=\"").append(id).append("\" class=\"member\">\n<h2>").append(Html.esc(m.name()))
                .append(" <span class=\"tag\">").append(Html.text(m.arch())).append("</span></h2>\n")
                .append("<p class=\"meta\">trained by ").append(Html.text(m.trainedBy()))
                .append(" · ").append(m.vocabulary() == null ? Html.NOT_RECORDED : m.vocabulary().size() + " classes")
                .append(" · skipped images: ").append(m.skippedImages() == null ? Html.NOT_RECORDED
                        : "<a href=\"#skipped\">" + m.skippedImages().size() + "</a>").append("</p>\n");
        if (m.earlierConfiguration()) {
            out.append("<p class=\"stale\">These figures are of an <strong>earlier configuration</strong> of this"
                    + " member, not of its current one; the leaderboard shows ? for its valid error until it is trained"
                    + " again ('mvn package').</p>\n");
        }
        out.append("<p class=\"subnav\">");
        for (int i = 0; i < parts.size(); i++) {
            out.append(i == 0 ? "" : " · ").append("<a href=\"#").append(id).append('-').append(parts.get(i)[0])
                    .append("\">").append(parts.get(i)[1]).append("</a>");
        }
        out.append("</p>\n");
        for (String[] part : parts) {
            out.append("<div class=\"part\" id=\"").append(id).append('-').append(part[0]).append("\">\n<h3>")
                    .append(part[1]).append("</h3>\n").append(part(part[0], m)).append("</div>\n");
        }
        return out.append("</section>\n").toString();
    }

    private static String part(String part, Member m) {
        return switch (part) {
            case "training" -> m.epochs() == null || m.epochs().isEmpty() ? notRecorded("No epochs")
                    : charts(chart("Loss per epoch", Charts.losses(m.epochs())),
                            chart("Validation error rate per epoch", Charts.errorRate(m.epochs())))
                            + epochs(m.epochs());
            case "schedule" -> m.schedule() == null || m.schedule().isEmpty() ? notRecorded("No schedule")
                    : charts(chart("Learning rate per step" + (groups(m) > 1 ? ", per parameter group" : ""),
                            Charts.learningRates(m.schedule())), chart("Momentum per step", Charts.momentum(m.schedule())));
            case "lr-find" -> lrFind(m.lrFind());
            case "confusion" -> m.confusion() == null ? notRecorded("No confusion matrix")
                    : ConfusionTable.html(m.confusion(), m.vocabulary());
            case "top-losses" -> m.topLosses() == null ? notRecorded("No top losses")
                    : m.topLosses().isEmpty() ? "<p>No validation image was misclassified.</p>\n"
                    : TopLossGrid.html(m.topLosses());
            case "memory" -> memory(m.memory());
            case "environment" -> environment(m.environment());
            default -> throw new IllegalArgumentException(part);
        };
    }

    private static int groups(Member m) {
        return m.schedule().stream().mapToInt(s -> s.lrs() == null ? 0 : s.lrs().size()).max().orElse(0);
    }

    private static String notRecorded(String what) {
        return "<p class=\"na\">" + what + " recorded for this member.</p>\n";
    }

    private static String charts(String... figures) {
        return "<div class=\"charts\">\n" + String.join("", figures) + "</div>\n";
    }

    private static String chart(String title, Figure figure) {
        return "<figure class=\"chart\"><figcaption>" + Html.esc(title) + "</figcaption>"
                + figure.html(title, "plot") + "</figure>\n";
    }

    private static String epochs(List<Epoch> epochs) {
        boolean phases = epochs.stream().anyMatch(e -> e.phase() != null && !e.phase().isBlank());
        // Members of several targets: one more error rate column per target after the folder label.
        List<String> targets = epochs.stream().filter(e -> e.moreErrorRates() != null)
                .flatMap(e -> e.moreErrorRates().keySet().stream()).distinct().toList();
        StringBuilder out = new StringBuilder("<table class=\"data\"><thead><tr><th class=\"num\">epoch</th>")
                .append(phases ? "<th>phase</th>" : "")
                .append("<th class=\"num\">train loss</th><th class=\"num\">valid loss</th>")
                .append("<th class=\"num\">error rate</th>");
        targets.forEach(t -> out.append("<th class=\"num\">").append(Html.esc(t)).append(" error rate</th>"));
        out.append("<th class=\"num\">time</th></tr></thead><tbody>\n");
        for (Epoch e : epochs) {
            out.append("<tr><td class=\"num\">").append(e.epoch()).append("</td>")
                    .append(phases ? "<td>" + Html.esc(e.phase()) + "</td>" : "")
                    .append("<td class=\"num\">").append(Html.num(e.trainLoss(), 4)).append("</td>")
                    .append("<td class=\"num\">").append(Html.num(e.validLoss(), 4)).append("</td>")
                    .append("<td class=\"num\">").append(Html.pct(e.errorRate())).append("</td>");
            for (String t : targets) {
                Double rate = e.moreErrorRates() == null ? null : e.moreErrorRates().get(t);
                out.append("<td class=\"num\">").append(rate == null ? Html.NOT_RECORDED : Html.pct(rate)).append("</td>");
            }
            out.append("<td class=\"num\">").append(Html.num(e.seconds(), 1)).append(" s</td></tr>\n");
        }
        return out.append("</tbody></table>\n").toString();
    }

    private static String lrFind(LrFind find) {
        StringBuilder out = new StringBuilder(charts(chart("Loss against learning rate", Charts.lrFinder(find))));
        Map<String, Double> suggestions = find.suggestions() == null ? Map.of() : find.suggestions();
        out.append("<table class=\"data\"><thead><tr><th>suggestion</th><th class=\"num\">learning rate</th></tr>")
                .append("</thead><tbody>\n");
        suggestions.forEach((name, lr) -> out.append("<tr><td>").append(Html.esc(name)).append("</td><td class=\"num\">")
                .append(lr == null ? Html.NOT_RECORDED : Html.lr(lr)).append("</td></tr>\n"));
        if (suggestions.isEmpty()) {
            out.append("<tr><td colspan=\"2\" class=\"na\">no suggestions recorded</td></tr>\n");
        }
        return out.append("</tbody></table>\n").toString();
    }

    /** The CPU, ISA, threads, device, engine and numerics the member was trained under, as facts. */
    private static String environment(Environment environment) {
        if (environment == null) {
            return "<p class=\"na\">Environment not recorded (an earlier paddy trained this member).</p>\n";
        }
        return "<dl class=\"facts\">\n" + fact("CPU", environment.cpu()) + fact("ISA", environment.isa())
                + fact("threads", environment.threads()) + fact("device", environment.device())
                + fact("engine", environment.engine()) + fact("numerics", environment.numerics()) + "</dl>\n";
    }

    private static String fact(String name, String value) {
        return "<dt>" + name + "</dt><dd>" + Html.text(value) + "</dd>\n";
    }

    private static String memory(Memory memory) {
        if (memory == null) {
            return notRecorded("No memory figures");
        }
        StringBuilder out = new StringBuilder("<dl class=\"facts\">\n<dt>limit</dt><dd>")
                .append(memory.limitMiB() == null ? "no budget" : Html.num(memory.limitMiB(), 1) + " MiB")
                .append("</dd>\n<dt>peak while training</dt><dd>")
                .append(memory.measuredPeakMiB() == null ? Html.NOT_RECORDED : Html.num(memory.measuredPeakMiB(), 1) + " MiB");
        if (memory.measuredPeakMiB() != null && memory.limitMiB() != null && memory.limitMiB() > 0) {
            double share = memory.measuredPeakMiB() / memory.limitMiB();
            out.append(String.format(Locale.ROOT, " (%.0f %% of the limit)", 100 * share))
                    .append("<div class=\"meter").append(share > 1 ? " over" : "").append("\"><span style=\"width:")
                    .append(String.format(Locale.ROOT, "%.1f", Math.min(100, 100 * share))).append("%\"></span></div>");
        }
        out.append("</dd>\n<dt>measured as</dt><dd>").append(Html.text(memory.measure())).append("</dd>\n</dl>\n");
        List<Trial> trials = memory.trials();
        if (trials == null) {
            return out.append(notRecorded("No memory plan")).toString();
        }
        if (trials.isEmpty()) {
            return out.append("<p class=\"na\">No memory plan: no trials were run for this member (no budget, or a fixed accum).</p>\n")
                    .toString();
        }
        Integer chosen = trials.stream().filter(Trial::fits).map(Trial::accum).min(Integer::compare).orElse(null);
        out.append("<table class=\"data\"><thead><tr><th class=\"num\">accum</th><th class=\"num\">micro-batch</th>")
                .append("<th class=\"num\">peak MiB</th><th>fits</th></tr></thead><tbody>\n");
        for (Trial t : trials) {
            boolean picked = chosen != null && t.accum() == chosen;
            out.append("<tr").append(picked ? " class=\"highlight\"" : "").append("><td class=\"num\">").append(t.accum())
                    .append("</td><td class=\"num\">").append(t.microBatch()).append("</td><td class=\"num\">")
                    .append(Html.num(t.peakMiB(), 1)).append("</td><td>")
                    .append(t.fits() ? "<span class=\"badge ok\">yes</span>" : "<span class=\"badge bad\">no</span>")
                    .append(picked ? " chosen: the smallest accum that fits" : "").append("</td></tr>\n");
        }
        return out.append("</tbody></table>\n").toString();
    }
}
