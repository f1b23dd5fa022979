package dev.paddy.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class DivisorsTest {
    @Test
    void everyDivisorAscendingAndAsTheMessagesListThem() {
        assertEquals(List.of(1, 2, 3, 4, 6, 12), Divisors.of(12));
        assertEquals(List.of(1), Divisors.of(1));
        assertEquals(List.of(1, 7), Divisors.of(7));
        assertEquals(List.of(), Divisors.of(0));
        assertEquals("1, 2, 4, 8, 16", Divisors.text(16));
    }
}
