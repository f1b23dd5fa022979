package dev.paddy.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.modality.cv.translator.ImageClassificationTranslator;
import dev.paddy.data.ItemTransform;
import dev.paddy.data.Normalization;
import dev.paddy.model.ModelSource;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** serving.properties says the member's size, resize and normalisation in options DJL's image translator takes. */
class ServingPropertiesTest {
    private static Map<String, String> properties(ItemTransform.Resize resize) throws IOException {
        ModelExport.Request request = new ModelExport.Request("res", ModelSource.builtIn("resnet18"), new int[] {2},
                List.of("a", "b"), 224, resize, new Normalization(List.of(0.5, 0.25, 0.125), List.of(0.2, 0.3, 0.4)),
                Path.of("model.params"));
        Properties p = new Properties();
        p.load(new StringReader(ModelExport.servingProperties(request)));
        Map<String, String> map = new HashMap<>();
        p.stringPropertyNames().forEach(k -> map.put(k, p.getProperty(k)));
        return map;
    }

    @Test
    void eachResizeIsSaidInDjlsOptions() throws IOException {
        Map<String, String> squish = properties(ItemTransform.Resize.SQUISH);
        assertEquals("PyTorch", squish.get("engine"));
        assertEquals("ai.djl.modality.cv.translator.ImageClassificationTranslatorFactory", squish.get("translatorFactory"));
        assertEquals("224", squish.get("width"));
        assertEquals("224", squish.get("height"));
        assertEquals("true", squish.get("resize"));
        assertEquals("0.5,0.25,0.125,0.2,0.3,0.4", squish.get("normalize"));
        assertEquals("true", squish.get("applySoftmax"));
        Map<String, String> crop = properties(ItemTransform.Resize.CROP);
        assertEquals("true", crop.get("resizeShort"));
        assertEquals("true", crop.get("centerCrop"));
        assertTrue(!crop.containsKey("resize"));
        Map<String, String> pad = properties(ItemTransform.Resize.PAD);
        assertEquals("true", pad.get("pad"));
        assertEquals("true", pad.get("resize"));
    }

    @Test
    void djlsTranslatorTakesEveryOption() throws IOException {
        for (ItemTransform.Resize resize : ItemTransform.Resize.values()) {
            Map<String, Object> arguments = new HashMap<>(properties(resize));
            // Throws on an option value it cannot read (a normalize without 6 numbers, a size that is no number).
            ImageClassificationTranslator translator = ImageClassificationTranslator.builder(arguments).build();
            assertTrue(translator != null);
        }
    }
}
