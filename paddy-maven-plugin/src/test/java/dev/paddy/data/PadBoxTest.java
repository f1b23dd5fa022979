package dev.paddy.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PadBoxTest {
    @Test
    void theLongSideFillsTheCanvasAndTheImageIsCentred() {
        assertEquals(new PadBox(16, 8, 0, 4, 0, 4), PadBox.of(64, 32, 16));
        assertEquals(new PadBox(7, 15, 4, 0, 4, 0), PadBox.of(33, 70, 15));
        assertEquals(new PadBox(16, 16, 0, 0, 0, 0), PadBox.of(5, 5, 16));
    }

    @Test
    void aSideThatRoundsToNothingKeepsOnePixelCentredAsEachDecoderAlwaysHas() {
        assertEquals(new PadBox(1, 16, 7, 0, 8, 0), PadBox.of(1, 40, 16), "OpenCV from 1 px, ImageIO from 0 px");
        assertEquals(new PadBox(15, 1, 0, 7, 0, 7), PadBox.of(40, 1, 15), "an odd canvas: the same row");
    }
}
