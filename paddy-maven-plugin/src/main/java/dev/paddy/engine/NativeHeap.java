package dev.paddy.engine;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Keeps the native memory that libtorch frees inside the process for its next tensors, instead of
 * giving it back to the system after every operation.
 *
 * <p>Every optimizer step allocates and frees blocks the size of each parameter several times
 * (DJL's {@code adamUpdate} clones the gradient and makes four temporaries per tensor), and each
 * step's activations come and go. With glibc's defaults, blocks above a few MiB are mapped and
 * unmapped each time and the heap's top is trimmed whenever 2 x that much is free, so every new
 * tensor is faulted in page by page: fine-tuning resnet18 at 32 px spent a third of its time in
 * the kernel's page-fault handler (perf) and ran 2.4x slower than with the settings below, which
 * are the {@code MALLOC_MMAP_THRESHOLD_} / {@code MALLOC_TRIM_THRESHOLD_} environment variables
 * set from inside the JVM (a Maven build cannot set its own environment): blocks up to 32 MiB
 * (glibc's maximum for this setting) come from the heap, and up to 1 GiB of free heap is kept.
 *
 * <p>Only where glibc is the C library (Linux); elsewhere, or if the call is missing (musl), a
 * no-op. Memory is reused, never held twice: the peak resident set a build measures is the peak
 * its tensors need, and what stays resident after it is capped at 1 GiB.
 */
final class NativeHeap {
    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_MMAP_THRESHOLD = -3;
    static final int MMAP_THRESHOLD = 32 << 20;
    static final int TRIM_THRESHOLD = 1 << 30;
    private static Boolean tuned;

    private NativeHeap() {}

    interface CLibrary extends Library {
        int mallopt(int param, int value);
    }

    /** Applies the settings once per process; says whether glibc took them. */
    static synchronized boolean keepFreedMemory() {
        if (tuned == null) {
            tuned = false;
            if (Platform.isLinux() && !Platform.isAndroid()) {
                try {
                    CLibrary c = Native.load("c", CLibrary.class);
                    tuned = c.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1 && c.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1;
                } catch (LinkageError e) {
                    // not glibc: its allocator's defaults stay
                }
            }
        }
        return tuned;
    }
}
