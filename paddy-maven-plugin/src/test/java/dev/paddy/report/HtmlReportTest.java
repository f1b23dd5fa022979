package dev.paddy.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report written from a realistic model, checked as a file: sections, pictures, self-containment, atomicity. */
class HtmlReportTest {
    @TempDir
    static Path dir;
    static ReportModel model;
    static String html;

    @BeforeAll
    static void write() throws Exception {
        model = ReportFixture.model(dir);
        long start = System.nanoTime();
        HtmlReport.write(model, dir.resolve("report").resolve("index.html"));
        System.out.printf("HtmlReportTest: report of 2 members written in %.2f s, %,d bytes%n",
                (System.nanoTime() - start) / 1e9, Files.size(dir.resolve("report").resolve("index.html")));
        html = Files.readString(dir.resolve("report").resolve("index.html"));
    }

    @Test
    void everySectionIsThereWithItsStableIdAndTheLrFinderOnlyWhereItRan() {
        for (String id : ReportFixture.sectionIds()) {
            assertEquals(1, count(html, "id=\"" + id + "\""), id);
        }
        assertFalse(html.contains("id=\"member-convnext-lr-find\""), "convnext has no lr finder");
    }

    @Test
    void theFileIsSelfContained() {
        Matcher refs = Pattern.compile("\\b(src|href)\\s*=\\s*\"([^\"]*)\"", Pattern.CASE_INSENSITIVE).matcher(html);
        int refCount = 0;
        while (refs.find()) {
            refCount++;
            String target = refs.group(2);
            assertTrue(target.startsWith("data:image/") || target.startsWith("#"), refs.group(1) + "=" + abbreviate(target));
        }
        assertTrue(refCount > 30, "links and pictures found: " + refCount);
        assertFalse(html.contains("http://"), "no http:// anywhere");
        assertFalse(html.contains("https://"), "no https:// anywhere");
        assertFalse(html.toLowerCase().contains("<script"), "no script");
        assertFalse(html.toLowerCase().contains("<link"), "no linked stylesheet or icon");
        assertFalse(html.contains("url("), "no url() in the styles");
        assertFalse(html.contains("@import") || html.contains("@font-face"), "no fetched styles or fonts");
        assertTrue(html.contains("Content-Security-Policy\" content=\"default-src 'none'; img-src data:"));
    }

    @Test
    void everyImageIsAnInlinePictureThatDecodes() throws Exception {
        Matcher imgs = Pattern.compile("<img [^>]*src=\"([^\"]*)\"").matcher(html);
        List<String> kinds = new ArrayList<>();
        while (imgs.find()) {
            String uri = imgs.group(1);
            Matcher data = Pattern.compile("data:(image/(png|jpeg));base64,([A-Za-z0-9+/=]+)").matcher(uri);
            assertTrue(data.matches(), abbreviate(uri));
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(data.group(3))));
            assertNotNull(image, "decodes: " + abbreviate(uri));
            assertTrue(image.getWidth() >= 96 && image.getHeight() >= 96, image.getWidth() + "x" + image.getHeight());
            kinds.add(data.group(1) + " " + image.getWidth() + "x" + image.getHeight());
        }
        // resnet18: 5 charts (loss, error, lr, momentum, lr finder) and 9 thumbnails; convnext: 4 charts, 7 thumbnails.
        assertEquals(9, kinds.stream().filter(k -> k.equals("image/png 1120x600")).count(), String.valueOf(kinds));
        assertEquals(16, kinds.stream().filter(k -> k.equals("image/jpeg 112x112")).count(), String.valueOf(kinds));
        assertEquals(25, kinds.size());
        assertTrue(GraphicsEnvironment.isHeadless(), "drawn headless");
    }

    @Test
    void aMissingOrUnreadableImageIsAPlaceholderWithItsReason() {
        String convnext = section(html, "member-convnext-top-losses");
        assertEquals(2, count(convnext, "thumb placeholder"), convnext);
        assertTrue(convnext.contains("image not found: " + ReportFixture.TRAIN.resolve("coat").resolve("no-such-image.png")));
        assertTrue(convnext.contains("image not readable: "), convnext);
        assertEquals(9, count(convnext, "<figure class=\"loss\""));
        assertEquals(0, count(section(html, "member-resnet18-top-losses"), "placeholder"));
    }

    @Test
    void theFiguresAreReadable() {
        String confusion = section(html, "member-resnet18-confusion");
        assertEquals(100, count(confusion, "<td class=\"cell"), "a 10x10 matrix");
        for (String name : model.members().get(0).vocabulary()) {
            assertTrue(confusion.contains("<span>" + name + "</span>") && confusion.contains(">" + name + "</th>"), name);
        }
        int[][] matrix = model.members().get(0).confusion();
        assertTrue(confusion.contains("predicted ankle_boot: " + matrix[0][0] + " ("), "counts are numbers, with titles");
        String ensemble = section(html, "ensemble");
        assertTrue(ensemble.indexOf(">ensemble<") < ensemble.indexOf(">resnet18<"), "the ensemble (88.90 %) ranks first");
        assertTrue(ensemble.indexOf(">resnet18<") < ensemble.indexOf(">convnext<"), "then the best member");
        assertTrue(ensemble.contains("class=\"highlight ensemble-row\"") && ensemble.contains("88.90 %"));
        String memory = section(html, "member-resnet18-memory");
        assertTrue(memory.contains("411.0 MiB") && memory.contains("480.0 MiB") && memory.contains("86 % of the limit"));
        assertTrue(memory.contains("chosen: the smallest accum that fits"));
        assertTrue(section(html, "member-convnext-memory").contains("No memory plan"));
        assertTrue(section(html, "member-convnext").contains("trained by <span class=\"na\">not recorded</span>"));
        assertTrue(section(html, "member-convnext").contains("<p class=\"stale\">These figures are of an <strong>earlier"
                + " configuration</strong> of this member"), "a record of another key is marked as such");
        assertFalse(section(html, "member-resnet18").contains("class=\"stale\""));
        String skipped = section(html, "skipped");
        assertEquals(2, count(skipped, "<tr><td><code>"), "the union: the image both members skipped once");
        assertTrue(skipped.contains("convnext, resnet18") && skipped.contains("cannot decode (truncated file)"));
        String stages = section(html, "stages");
        assertTrue(stages.contains("config changed: lr 0.001 -&gt; 0.002") && stages.contains("rowspan=\"2\""));
    }

    /** Issue 19: each member's environment as facts, "not recorded" for an earlier paddy's record; the run's CPU. */
    @Test
    void theEnvironmentOfEachMemberAndTheCpuOfTheRunAreShown() {
        String resnet = section(html, "member-resnet18-environment");
        for (String fact : List.of("<dt>CPU</dt><dd>AMD EPYC 9R14</dd>",
                "<dt>ISA</dt><dd>avx512_core_bf16 capped at avx2, ATEN_CPU_CAPABILITY avx2, MKL_CBWR AVX2</dd>",
                "<dt>threads</dt><dd>1+1 threads</dd>", "<dt>device</dt><dd>cpu()</dd>",
                "<dt>engine</dt><dd>PyTorch 2.5.1 (DJL 0.32.0)</dd>", "<dt>numerics</dt><dd>portable</dd>")) {
            assertTrue(resnet.contains(fact), fact + " in " + resnet);
        }
        String convnext = section(html, "member-convnext-environment");
        assertTrue(convnext.contains("<p class=\"na\">Environment not recorded"), convnext);
        assertFalse(convnext.contains("<dl"), convnext);
        assertTrue(section(html, "member-resnet18").contains("<a href=\"#member-resnet18-environment\">Environment</a>"),
                "the member's subnav links it");
        String run = section(html, "run");
        assertTrue(run.contains("<dt>CPU</dt><dd>Intel(R) Xeon(R) Platinum 8488C</dd>")
                && run.contains("<dt>ISA</dt><dd>avx512_core_amx</dd>"), run);
    }

    @Test
    void oddFiguresGiveAChartOrAPlaceholderNeverAFailedReport() {
        List<Figure> figures = List.of(
                Charts.lrFinder(new ReportModel.LrFind(List.of(), List.of(), java.util.Map.of())),
                Charts.lrFinder(new ReportModel.LrFind(List.of(0.0, 1e-3), List.of(Double.NaN, 2.0),
                        java.util.Map.of("valley", 0.0))),
                Charts.learningRates(List.of(new ReportModel.Step(1, List.of(), 0.9))),
                Charts.losses(List.of(new ReportModel.Epoch(1, "frozen", Double.NaN, Double.POSITIVE_INFINITY, 1, 0))));
        for (Figure figure : figures) {
            assertTrue(figure.dataUri() != null || figure.failure().startsWith("chart not drawn: "), String.valueOf(figure));
            assertTrue(figure.html("odd", "plot").startsWith(figure.dataUri() != null ? "<img" : "<div"));
        }
        String placeholder = Figure.failed("image not found", "image not found: /x/<y>.png", 112, 112).html("alt", "thumb");
        assertTrue(placeholder.contains("<span>image not found</span>") && placeholder.contains("/x/&lt;y&gt;.png"),
                placeholder);
    }

    @Test
    void aWriteIsAtomicReadersSeeAWholeReportAndNoTemporaryFileRemains() throws Exception {
        Path file = dir.resolve("atomic").resolve("index.html");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "<!DOCTYPE html><p>the previous report</p></html>\n");
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        List<String> torn = new ArrayList<>();
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                try {
                    byte[] bytes = Files.readAllBytes(file);
                    String text = new String(bytes, StandardCharsets.UTF_8);
                    reads.incrementAndGet();
                    if (!text.startsWith("<!DOCTYPE html>") || !text.endsWith("</html>\n")) {
                        torn.add(bytes.length + " bytes");
                    }
                } catch (java.io.IOException e) {
                    torn.add(e.toString());
                }
            }
        });
        reader.start();
        try {
            for (int i = 0; i < 3; i++) {
                HtmlReport.write(model, file);
            }
        } finally {
            done.set(true);
            reader.join();
        }
        assertEquals(List.of(), torn, "torn reads among " + reads.get());
        assertTrue(reads.get() > 0);
        assertEquals(html, Files.readString(file), "the last write is whole");
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no temporary file left beside it");
        }
    }

    static String section(String html, String id) {
        int start = html.indexOf("id=\"" + id + "\"");
        assertTrue(start >= 0, id);
        int end = html.indexOf("</section>", start);
        if (html.lastIndexOf('<', start) == html.lastIndexOf("<div", start)) { // a member's part: up to the next
            int next = html.indexOf("<div class=\"part\"", start);
            end = next >= 0 && next < end ? next : end;
        }
        return html.substring(start, end);
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
