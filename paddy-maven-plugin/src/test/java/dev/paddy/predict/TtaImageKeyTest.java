package dev.paddy.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** An image's augmentations are drawn by its pixels (CRC32C), the same wherever and whenever it is predicted. */
class TtaImageKeyTest {
    @Test
    void theKeyIsTheCrc32cOfThePixelsWhateverTheItemsIndexAndTheBuffersPosition() {
        ByteBuffer item = ByteBuffer.wrap("123456789".getBytes(StandardCharsets.US_ASCII));
        assertEquals(0xE3069283L, Tta.itemKey(item, 0), "CRC32C's check value");
        assertEquals(0xE3069283L, Tta.itemKey(item.asReadOnlyBuffer(), 7));
        assertEquals(0, item.position(), "the item is not consumed");
        assertNotEquals(Tta.itemKey(item, 0), Tta.itemKey(ByteBuffer.wrap(new byte[] {1, 2, 3}), 0));
        assertEquals(4, Tta.itemKey(null, 4), "no pixels: the index");
    }
}
