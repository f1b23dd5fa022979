package dev.paddy.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.paddy.train.LrSuggestions.Method;
import dev.paddy.train.LrSuggestions.Suggestion;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The range test and the suggestions against fastai's own algorithms, run in Python by
 * {@code src/test/resources/lr-find/reference.py} on the committed raw curves (curves.csv) and
 * hand-made windows; the script's output is expected.json. Regenerate both with
 * {@code /usr/bin/python3 reference.py} after changing the script.
 */
class LrFindReferenceTest {
    /** Smoothed losses: same operations in the same order (fused lerp), so only pow/log ulps differ. */
    private static final double CURVE_REL = 1e-12;
    private static final double SUGGESTION_REL = 1e-9;
    /** fastai itself runs in float32: its choices must be the same points, to float32 precision. */
    private static final double FLOAT32_REL = 1e-6;

    private static JsonObject expected;
    private static Map<String, double[]> curves;

    @BeforeAll
    static void load() throws IOException {
        try (Reader json = resource("expected.json")) {
            expected = JsonParser.parseReader(json).getAsJsonObject();
        }
        curves = new LinkedHashMap<>();
        try (BufferedReader csv = new BufferedReader(resource("curves.csv"))) {
            String[] names = csv.readLine().split(",");
            List<double[]> rows = csv.lines().map(line -> Stream.of(line.split(",")).mapToDouble(Double::parseDouble).toArray()).toList();
            for (int c = 1; c < names.length; c++) {
                int column = c;
                curves.put(names[c], rows.stream().mapToDouble(row -> row[column]).toArray());
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> rangeTestsStopAndRecordAsFastai() {
        return rangeTests().map(test -> DynamicTest.dynamicTest(name(test), () -> {
            LrRangeTest run = run(test);
            JsonArray lrs = test.getAsJsonArray("lrs");
            JsonArray losses = test.getAsJsonArray("losses");
            assertEquals(test.get("state").getAsString(), run.state().name());
            assertEquals(lrs.size(), run.lrs().size(), "steps recorded, the stopping one included");
            for (int i = 0; i < lrs.size(); i++) {
                assertClose(lrs.get(i).getAsDouble(), run.lrs().get(i), 1e-14, "lr of step " + i);
                assertClose(losses.get(i).getAsDouble(), run.losses().get(i), CURVE_REL, "smoothed loss of step " + i);
            }
            assertEquals(test.get("window").getAsInt(), run.suggestions().size(), "lr_find's window");
        }));
    }

    @TestFactory
    Stream<DynamicTest> suggestionsOnRangeTestsAreFastais() {
        return rangeTests().map(test -> DynamicTest.dynamicTest(name(test), () -> {
            LrSuggestions suggestions = run(test).suggestions();
            assertSuggestions(test.getAsJsonObject("suggestions"), suggestions, SUGGESTION_REL);
            JsonObject float32 = test.getAsJsonObject("fastai_float32");
            assertEquals(float32.get("state").getAsString(), run(test).state().name(), "float32 fastai stops alike");
            assertEquals(float32.get("steps").getAsInt(), run(test).lrs().size());
            assertSuggestions(float32.getAsJsonObject("suggestions"), suggestions, FLOAT32_REL);
        }));
    }

    @TestFactory
    Stream<DynamicTest> suggestionsOnHandMadeWindowsAreFastais() {
        return objects(expected.getAsJsonArray("windows")).map(window -> DynamicTest.dynamicTest(window.get("name").getAsString(), () -> {
            LrSuggestions suggestions = LrSuggestions.ofWindow(
                    doubles(window.getAsJsonArray("lrs")), doubles(window.getAsJsonArray("losses")));
            assertSuggestions(window.getAsJsonObject("suggestions"), suggestions, SUGGESTION_REL);
        }));
    }

    @TestFactory
    Stream<DynamicTest> slideWithOtherParametersIsFastais() {
        return objects(expected.getAsJsonArray("slide_variants")).map(variant -> {
            String label = variant.get("range_test").getAsString() + " lr_diff=" + variant.get("lr_diff")
                    + " thresh=" + variant.get("thresh") + " adjust=" + variant.get("adjust_value");
            return DynamicTest.dynamicTest(label, () -> {
                JsonObject test = rangeTests().filter(t -> t.get("name").equals(variant.get("range_test"))).findFirst().orElseThrow();
                Optional<Suggestion> slide = run(test).suggestions().slide(variant.get("lr_diff").getAsInt(),
                        variant.get("thresh").getAsDouble(), variant.get("adjust_value").getAsDouble());
                assertSuggestion(variant.getAsJsonObject("suggestion"), slide, SUGGESTION_REL, label);
            });
        });
    }

    private static LrRangeTest run(JsonObject test) {
        LrRangeTest run = new LrRangeTest(
                test.get("start_lr").getAsDouble(), test.get("end_lr").getAsDouble(), test.get("num_it").getAsInt());
        double[] raw = curves.get(test.get("curve").getAsString());
        int step = 0;
        do {
            assertClose(run.lr(step), run.nextLr(), 0, "nextLr is the schedule at the step count");
        } while (run.record(raw[step++]));
        return run;
    }

    private static void assertSuggestions(JsonObject expected, LrSuggestions actual, double rel) {
        assertEquals(Method.values().length, expected.size(), "the reference covers every method");
        for (Method method : Method.values()) {
            assertSuggestion(expected.getAsJsonObject(method.fastaiName()), actual.suggest(method), rel, method.fastaiName());
        }
        List<Method> present = new ArrayList<>();
        actual.all().forEach(s -> present.add(s.method()));
        assertEquals(Stream.of(Method.values()).filter(m -> !expected.getAsJsonObject(m.fastaiName()).has("error")).toList(), present);
    }

    private static void assertSuggestion(JsonObject expected, Optional<Suggestion> actual, double rel, String what) {
        if (expected.has("error")) {
            assertTrue(actual.isEmpty(), what + ": fastai raises " + expected.get("error").getAsString() + ", got " + actual);
            return;
        }
        Suggestion suggestion = actual.orElseGet(() -> fail(what + ": fastai suggests " + expected));
        assertClose(expected.get("lr").getAsDouble(), suggestion.lr(), rel, what + " lr");
        assertClose(expected.get("point_lr").getAsDouble(), suggestion.pointLr(), rel, what + " point lr");
        assertClose(expected.get("point_loss").getAsDouble(), suggestion.pointLoss(), rel * 10, what + " point loss");
    }

    private static void assertClose(double expected, double actual, double rel, String what) {
        if (Double.isNaN(expected) || Double.isNaN(actual)) {
            assertEquals(expected, actual, what);
            return;
        }
        assertEquals(expected, actual, rel * Math.abs(expected), what);
    }

    private static Stream<JsonObject> rangeTests() {
        return objects(expected.getAsJsonArray("range_tests"));
    }

    private static Stream<JsonObject> objects(JsonArray array) {
        List<JsonObject> objects = new ArrayList<>();
        array.forEach(e -> objects.add(e.getAsJsonObject()));
        return objects.stream();
    }

    private static String name(JsonObject test) {
        return test.get("name").getAsString();
    }

    private static double[] doubles(JsonArray array) {
        return array.asList().stream().mapToDouble(JsonElement::getAsDouble).toArray();
    }

    private static Reader resource(String name) {
        var in = LrFindReferenceTest.class.getResourceAsStream("/lr-find/" + name);
        if (in == null) {
            throw new IllegalStateException("missing test resource lr-find/" + name);
        }
        return new InputStreamReader(in, StandardCharsets.UTF_8);
    }
}
