package dev.paddy.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.paddy.Browser;
import dev.paddy.Training;
import dev.paddy.experiment.Experiment;
import dev.paddy.experiment.ExperimentLog;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report in a real browser: Debian's Chromium, headless. A harness page loads the report in a
 * same-origin iframe (both served by a JDK HTTP server on 127.0.0.1) and checks the rendered DOM:
 * every section is there, every picture decoded ({@code naturalWidth > 0}) and laid out, every
 * inline SVG has a size; the same harness fails a report with a broken picture and a missing
 * section, so a PASS means something. Screenshots of the page and of one member go to
 * {@code target/report-browser/} for people to look at, with the report itself. CI installs Chromium (.ci/run); where it
 * is missing this test is skipped and says why.
 */
@Browser
@Training
class ReportInBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final long TIMEOUT_SECONDS = 90;
    private static final Path SHOTS = Path.of("target", "report-browser").toAbsolutePath();

    @TempDir
    static Path dir;
    static Path site;
    static HttpServer server;
    static String base;
    static final List<String> requests = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void serveTheReportAndTheHarness() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            return; // every test is skipped, each saying why (below), so the report counts them as skipped
        }
        site = Files.createDirectories(dir.resolve("site"));
        HtmlReport.write(ReportFixture.model(dir), site.resolve("report").resolve("index.html"));
        Files.writeString(site.resolve("harness.html"), harness(ReportFixture.sectionIds()));
        Path trained = trainedExperimentReport(dir.resolve("experiment"));
        Files.createDirectories(site.resolve("trained"));
        Files.copy(trained, site.resolve("trained").resolve("index.html"));
        Files.writeString(site.resolve("trained-harness.html"), harness(trainedSectionIds())
                .replace("report/index.html", "trained/index.html"));
        Files.writeString(site.resolve("member.html"), "<!DOCTYPE html><html><body style=\"margin:0\">"
                + "<iframe src=\"report/index.html#member-resnet18\" style=\"border:0;width:1280px;height:2400px\">"
                + "</iframe></body></html>\n");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.add(path);
            Path file = site.resolve(path.substring(1)).normalize();
            try (exchange) {
                if (!file.startsWith(site) || !Files.isRegularFile(file)) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                byte[] body = Files.readAllBytes(file);
                exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    @BeforeEach
    void needsChromium() {
        String reason = "ReportInBrowserTest skipped: no Chromium at " + CHROMIUM
                + " (CI installs it in .ci/run; here: apt-get install chromium)";
        if (!Files.isExecutable(CHROMIUM)) {
            System.out.println(reason);
        }
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), reason);
    }

    @AfterAll
    static void stopTheServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void everySectionIsRenderedAndEveryPictureDecodes() throws Exception {
        String text = verdict("harness.html");
        assertTrue(text.startsWith("PASS"), text);
        assertTrue(text.contains("\"images\":25"), "all 25 pictures were in the DOM: " + text);
        assertTrue(text.contains("\"placeholders\":2"), "the missing and the broken image are placeholders: " + text);
        List<String> seen = new ArrayList<>(requests);
        seen.removeAll(List.of("/harness.html", "/member.html", "/report/index.html", "/broken/index.html", "/favicon.ico"));
        assertEquals(List.of(), seen, "the report fetched nothing else");
    }

    @Test
    void theHarnessFailsAReportWithABrokenPictureOrAMissingSection() throws Exception {
        String report = Files.readString(site.resolve("report").resolve("index.html"));
        String broken = report.replaceFirst("src=\"data:image/jpeg;base64,[A-Za-z0-9+/]{40}", "src=\"data:image/jpeg;base64,AAAA")
                .replace("id=\"member-convnext-memory\"", "id=\"elsewhere\"");
        Files.createDirectories(site.resolve("broken"));
        Files.writeString(site.resolve("broken").resolve("index.html"), broken);
        String text = verdict("harness.html?report=broken/index.html");
        assertTrue(text.startsWith("FAIL"), text);
        assertTrue(text.contains("missing section member-convnext-memory"), text);
        assertTrue(text.contains("image not decoded: validation image"), text);
    }

    @Test
    void screenshotsOfTheWholePageAndOfOneMember() throws Exception {
        Files.createDirectories(SHOTS);
        Path page = SHOTS.resolve("report.png");
        Path member = SHOTS.resolve("member-resnet18.png");
        Files.deleteIfExists(page);
        Files.deleteIfExists(member);
        chromium("--virtual-time-budget=10000", "--screenshot=" + page, "--window-size=1280,3000",
                base + "report/index.html");
        // The member through a frame scrolled to it: a top-level #fragment shifts headless screenshots.
        chromium("--virtual-time-budget=10000", "--screenshot=" + member, "--window-size=1280,2400",
                base + "member.html");
        Files.copy(site.resolve("report").resolve("index.html"), SHOTS.resolve("report.html"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        System.out.println("ReportInBrowserTest report: " + SHOTS.resolve("report.html"));
        for (Path shot : List.of(page, member)) {
            assertTrue(Files.isRegularFile(shot), "no screenshot at " + shot);
            assertTrue(Files.size(shot) > 50_000, shot + ": " + Files.size(shot) + " bytes, too small to show the report");
            System.out.println("ReportInBrowserTest screenshot: " + shot + " (" + Files.size(shot) + " bytes)");
        }
    }

    @Test
    void theReportOfARealTrainedExperimentRendersEverySectionAndPicture() throws Exception {
        String text = verdict("trained-harness.html");
        assertTrue(text.startsWith("PASS"), text);
        // Per member: loss, error rate, lr and momentum charts, and 9 top-loss thumbnails.
        assertTrue(text.contains("\"placeholders\":0"), "every picture of a real run decodes: " + text);
        Path shot = Files.createDirectories(SHOTS).resolve("trained-experiment.png");
        Files.deleteIfExists(shot);
        chromium("--virtual-time-budget=10000", "--screenshot=" + shot, "--window-size=1280,4000", base + "trained/index.html");
        assertTrue(Files.size(shot) > 50_000, shot + ": " + Files.size(shot) + " bytes");
        System.out.println("ReportInBrowserTest screenshot: " + shot);
    }

    /**
     * A real experiment, as the example runs it but tiny: 3 Fashion-MNIST classes, two members of
     * two families trained for 2 epochs, TTA, ensemble, submission, then the report those wrote.
     */
    private static Path trainedExperimentReport(Path project) throws Exception {
        dev.paddy.TinyPaddy.create(project, 3, 24, 12);
        Path manifest = dev.paddy.TinyPaddy.manifest(project, dev.paddy.TinyPaddy.minimalYaml("""
                defaults: {epochs: 2, batch_size: 16, item: {resize: squish, size: 20}, input_size: 16, seed: 7}
                members:
                  - {name: res, arch: resnet18}
                  - {name: cnx, arch: convnext_atto, accum: 2}
                tta: {n: 1}
                """));
        Experiment experiment = Experiment.open(manifest, project.resolve("target/paddy"), ExperimentLog.console());
        experiment.train(java.util.Set.of());
        experiment.tta(java.util.Set.of());
        experiment.ensemble();
        experiment.submit();
        return experiment.report();
    }

    private static List<String> trainedSectionIds() {
        List<String> ids = new ArrayList<>(List.of("run", "stages", "ensemble", "skipped"));
        for (String member : List.of("res", "cnx")) {
            ids.add("member-" + member);
            for (String part : List.of("training", "schedule", "confusion", "top-losses", "memory", "environment")) {
                ids.add("member-" + member + "-" + part);
            }
        }
        return ids;
    }

    /** What the harness page at {@code page} judged, after Chromium rendered it: PASS or FAIL, then JSON. */
    private static String verdict(String page) throws IOException, InterruptedException {
        String dom = chromium("--virtual-time-budget=10000", "--dump-dom", base + page);
        Matcher verdict = Pattern.compile("<pre id=\"verdict\">(.*?)</pre>", Pattern.DOTALL).matcher(dom);
        assertTrue(verdict.find(), "the harness wrote no verdict:\n" + tail(dom));
        String text = verdict.group(1).replace("&gt;", ">").replace("&lt;", "<").replace("&amp;", "&");
        System.out.println("ReportInBrowserTest verdict of " + page + ": " + text);
        return text;
    }

    /** Runs Chromium headless in a fresh profile, bounded by a timeout; returns its standard output. */
    private static String chromium(String... args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(dir, "profile");
        Path stdout = Files.createTempFile(dir, "chromium", ".out");
        Path stderr = Files.createTempFile(dir, "chromium", ".err");
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars",
                "--user-data-dir=" + profile));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        boolean finished = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String errors = Files.readString(stderr, StandardCharsets.UTF_8);
        assertTrue(finished, "chromium did not finish in " + TIMEOUT_SECONDS + " s: " + command + "\n" + tail(errors));
        assertEquals(0, process.exitValue(), "chromium failed: " + command + "\n" + tail(errors));
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    private static String tail(String text) {
        return text.length() > 3000 ? "..." + text.substring(text.length() - 3000) : text;
    }

    /**
     * The page that loads the report and judges what the browser made of it, into
     * {@code <pre id="verdict">}: PASS or FAIL, then the counts and every problem as JSON.
     */
    private static String harness(List<String> ids) {
        String expected = ids.stream().map(id -> "\"" + id + "\"").collect(Collectors.joining(","));
        return """
                <!DOCTYPE html>
                <html><head><meta charset="utf-8"><title>report harness</title></head>
                <body>
                <pre id="verdict">no verdict: the report did not load</pre>
                <iframe id="report" style="width:1280px;height:2000px"></iframe>
                <script>
                const expected = [%s];
                const frame = document.getElementById('report');
                frame.addEventListener('load', () => {
                  const doc = frame.contentDocument;
                  const problems = [];
                  for (const id of expected) {
                    const section = doc.getElementById(id);
                    if (!section) { problems.push('missing section ' + id); continue; }
                    const box = section.getBoundingClientRect();
                    if (box.width === 0 || box.height === 0) problems.push('section ' + id + ' is not laid out');
                  }
                  const images = Array.from(doc.images);
                  for (const img of images) {
                    if (!img.complete || img.naturalWidth === 0) problems.push('image not decoded: ' + img.alt);
                    else if (img.getBoundingClientRect().width === 0) problems.push('image not shown: ' + img.alt);
                  }
                  const svgs = Array.from(doc.querySelectorAll('svg'));
                  for (const svg of svgs) {
                    const box = svg.getBoundingClientRect();
                    if (box.width === 0 || box.height === 0) problems.push('svg without size');
                  }
                  const placeholders = doc.querySelectorAll('.placeholder').length;
                  const sections = expected.filter(id => doc.getElementById(id)).length;
                  document.getElementById('verdict').textContent = (problems.length ? 'FAIL ' : 'PASS ')
                      + JSON.stringify({sections, images: images.length, svgs: svgs.length, placeholders, problems});
                });
                frame.src = new URLSearchParams(location.search).get('report') || 'report/index.html';
                </script>
                </body></html>
                """.formatted(expected);
    }
}
