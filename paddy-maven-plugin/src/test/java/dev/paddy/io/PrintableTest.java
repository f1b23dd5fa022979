package dev.paddy.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Issue 22, item 11: what outside text may not do to a terminal or a log once printed. */
class PrintableTest {
    @Test
    void controlCharactersAreShownAsEscapes() {
        assertEquals("a\\nb\\r\\tc\\u001b[2J\\u0007\\u007f\\u009b", Printable.of("a\nb\r\tc\u001b[2J\u0007\u007f\u009b"));
        assertEquals("file\\u202egpj.exe", Printable.of("file\u202egpj.exe"), "a bidirectional override reorders text");
    }

    @Test
    void aLogMessageKeepsItsOwnLineBreaksOnly() {
        assertEquals("2 problems:\n  x\\u001b[1A\\r\n  y", Printable.lines("2 problems:\n  x\u001b[1A\r\n  y"));
    }

    @Test
    void plainTextIsLeftAsItIs() {
        String text = "données/a,b \"ü\" 東京.jpg";
        assertSame(text, Printable.of(text));
        assertFalse(Printable.hasControl(text));
        assertTrue(Printable.hasControl("a\u0000"));
    }
}
