package dev.paddy.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddy.report.ReportModel.Epoch;
import dev.paddy.report.ReportModel.Member;
import dev.paddy.report.ReportModel.Memory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A member of two targets shows the second target's error rate beside the first's in its epochs' table. */
class EpochsTableTest {

    private static Member member(List<Epoch> epochs) {
        return new Member("multi", "resnet18", null, null, false, List.of("a", "b"), epochs, List.of(), null, List.of(),
                new Memory(null, List.of(), null, null), List.of(), null);
    }

    private static Map<String, Double> variety(double rate) {
        Map<String, Double> rates = new LinkedHashMap<>();
        rates.put("variety", rate);
        return rates;
    }

    @Test
    void aColumnPerTargetAfterTheFolderLabel() {
        String html = MemberSection.html(member(List.of(new Epoch(1, "", 1.2, 1.1, 0.5, 3, variety(0.25)),
                new Epoch(2, "", 0.8, 0.7, 0.25, 3, variety(0.0456)))));
        assertTrue(html.contains("<th class=\"num\">error rate</th><th class=\"num\">variety error rate</th>"), html);
        assertTrue(html.contains("<td class=\"num\">25.00 %</td><td class=\"num\">4.56 %</td>"), html);
    }

    @Test
    void noExtraColumnForTheFolderLabelAlone() {
        String html = MemberSection.html(member(List.of(new Epoch(1, "", 1.2, 1.1, 0.5, 3))));
        assertTrue(html.contains("<th class=\"num\">error rate</th><th class=\"num\">time</th>"), html);
        assertFalse(html.contains("variety"), html);
    }
}
