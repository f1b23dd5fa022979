package dev.paddy.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The native heap keeps what libtorch frees: ten blocks the size of resnet18's largest weight
 * (more than one 64 MiB heap of a thread's arena holds), allocated, written and freed together
 * over and over as DJL's AdamW update does with its temporaries, are faulted in once, not every
 * time. Without {@code M_TOP_PAD} the arena's second heap is unmapped each round (184,372 faults
 * measured); without any of the settings, blocks of the first heap are given back too.
 */
class NativeHeapTest {
    private static final long BLOCK = 9L << 20; // resnet18's largest weight, 512 x 512 x 3 x 3 floats
    private static final int BLOCKS = 10;
    private static final long PAGES = BLOCKS * BLOCK / 4096;
    private static final int ROUNDS = 20;

    interface CLibrary extends Library {
        Pointer malloc(long size);

        void free(Pointer p);
    }

    @Test
    void freedBlocksAreReusedWithoutFaultingTheirPagesInAgain() throws IOException {
        assumeTrue(Platform.isLinux(), "glibc's allocator only (Linux): elsewhere keepFreedMemory is a no-op");
        assertTrue(NativeHeap.keepFreedMemory(), "glibc took mallopt's settings");
        CLibrary c = Native.load("c", CLibrary.class);
        touchAndFree(c); // the first time, its pages are new
        long before = minorFaults();
        for (int i = 0; i < ROUNDS; i++) {
            touchAndFree(c);
        }
        long faults = minorFaults() - before;
        // Given back to the system each time, every round faults its pages in again: up to 20 x 23,040.
        // Kept, the rounds fault in at most what the rest of the JVM touches meanwhile.
        assertTrue(faults < PAGES, ROUNDS + " rounds of " + BLOCKS + " x " + (BLOCK >> 20) + " MiB faulted " + faults
                + " pages in; one round has " + PAGES);
    }

    private static void touchAndFree(CLibrary c) {
        Pointer[] blocks = new Pointer[BLOCKS];
        for (int b = 0; b < BLOCKS; b++) {
            blocks[b] = c.malloc(BLOCK);
            for (long offset = 0; offset < BLOCK; offset += 4096) {
                blocks[b].setByte(offset, (byte) 1);
            }
        }
        for (Pointer p : blocks) {
            c.free(p);
        }
    }

    /** This process's minor page faults so far (field 10 of /proc/self/stat). */
    private static long minorFaults() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[7]);
    }
}
