package dev.paddy.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WindowsTest {
    @Test
    void lastPartialWindowIsKeptOnceAndSplitIntoMicroBatches() {
        int[] order = IntStream.range(0, 150).toArray();
        Windows windows = Windows.of(order, 64, 16);
        assertEquals(List.of(64, 64, 22), windows.windowSizes());
        assertEquals(List.of(4, 4, 2), windows.microBatchesPerWindow());
        assertEquals(List.of(16, 16, 16, 16, 16, 16, 16, 16, 16, 6),
                windows.microBatches().stream().map(g -> g.length).toList());
        int[] all = windows.microBatches().stream().flatMapToInt(IntStream::of).toArray();
        assertArrayEquals(order, all, "every item exactly once, in order");
        assertEquals(3, Windows.stepsPerEpoch(150, 64));
    }
}
