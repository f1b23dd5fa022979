package dev.paddy.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class OpenCvTest {
    @Test
    void eitherLoadedOrItSaysWhyNotAndTheDecoderNameFollows() {
        assertNotEquals(OpenCv.loaded(), OpenCv.failure().isPresent(), OpenCv.failure().orElse("loaded"));
        assertEquals(OpenCv.loaded(), Decoder.name().startsWith("opencv-" + (OpenCv.loaded() ? OpenCv.version() : "")));
    }
}
