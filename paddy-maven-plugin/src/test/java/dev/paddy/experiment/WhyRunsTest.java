package dev.paddy.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The reason a cached result is not reused, as the build log shows it: exactly the inputs whose
 * change altered the cache key, worded by kind (the user's configuration, the data, the weights,
 * or paddy itself).
 */
class WhyRunsTest {
    /** The inputs of a member as the cache keys are hashed from, in their order. */
    private static Map<String, String> inputs(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static final Map<String, String> BEFORE = inputs("lr", "0.001", "epochs", "3", "arch", "resnet18",
            "data", "d1", "test", "t1", "training", "w1", "weights", "i1",
            "plugin", "0.1.0", "engine", "PyTorch 2.5.1", "stage", "train-v1", "decoder", "opencv");

    private static Map<String, String> with(String... changes) {
        Map<String, String> now = new LinkedHashMap<>(BEFORE);
        now.putAll(inputs(changes));
        return now;
    }

    /** The words of the reason: what the log and the report say. */
    private static String diff(Map<String, String> before, Map<String, String> now) {
        return WhyRuns.diff(before, now).text();
    }

    @Test
    void noCachedResultIsNew() {
        assertEquals(new Reason.New(), WhyRuns.diff(null, BEFORE));
    }

    @Test
    void aConfigChangeNamesTheKeyAndBothValues() {
        assertEquals(new Reason.Changed("config changed: lr 0.001 -> 0.002"), WhyRuns.diff(BEFORE, with("lr", "0.002")));
    }

    @Test
    void severalConfigChangesAreOneMessageInTheInputsOrder() {
        assertEquals("config changed: lr 0.001 -> 0.002, arch resnet18 -> convnext_atto",
                diff(BEFORE, with("arch", "convnext_atto", "lr", "0.002")));
    }

    @Test
    void aKeyTheCachedResultDidNotHaveIsUnset() {
        assertEquals("config changed: tta (unset) -> 4", diff(BEFORE, with("tta", "4")));
    }

    @Test
    void dataTestImagesTrainingAndInitialWeightsHaveTheirOwnWords() {
        assertEquals("data changed", diff(BEFORE, with("data", "d2")));
        assertEquals("test images changed", diff(BEFORE, with("test", "t2")));
        assertEquals("weights retrained", diff(BEFORE, with("training", "w2")));
        assertEquals("initial weights changed", diff(BEFORE, with("weights", "i2")));
    }

    @Test
    void toolingChangesAreNotTheUsersConfiguration() {
        assertEquals("paddy or engine changed: plugin 0.1.0 -> 0.2.0", diff(BEFORE, with("plugin", "0.2.0")));
        assertEquals("paddy or engine changed: engine PyTorch 2.5.1 -> PyTorch 2.6.0, stage train-v1 -> train-v2,"
                        + " decoder opencv -> imageio",
                diff(BEFORE, with("engine", "PyTorch 2.6.0", "stage", "train-v2", "decoder", "imageio")));
    }

    @Test
    void configThenDataThenToolingSeparatedBySemicolons() {
        assertEquals("config changed: epochs 3 -> 5; data changed; weights retrained; paddy or engine changed:"
                        + " plugin 0.1.0 -> 0.2.0",
                diff(BEFORE, with("plugin", "0.2.0", "training", "w2", "data", "d2", "epochs", "5")));
    }

    @Test
    void identicalInputsMeanTheCachedResultIsIncomplete() {
        assertEquals("cached result incomplete", diff(BEFORE, new LinkedHashMap<>(BEFORE)));
    }
}
