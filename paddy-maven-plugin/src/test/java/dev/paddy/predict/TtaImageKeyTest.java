package dev.paddy.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** An image's augmentations are drawn by its id, with a hash that is the same on every machine. */
class TtaImageKeyTest {
    @Test
    void theImageKeyIsFnv1aOfTheIdsUtf8Bytes() {
        assertEquals(0xcbf29ce484222325L, Tta.imageKey(""), "FNV-1a 64's offset basis");
        assertEquals(0xaf63dc4c8601ec8cL, Tta.imageKey("a"), "FNV-1a 64 of \"a\"");
        assertNotEquals(Tta.imageKey("200001.png"), Tta.imageKey("200002.png"));
    }
}
