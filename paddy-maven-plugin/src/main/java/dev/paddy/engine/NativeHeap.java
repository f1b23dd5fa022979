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
 * step's activations come and go. With glibc's defaults those blocks go back to the system when
 * freed and every new tensor is faulted in page by page: fine-tuning resnet18 at 32 px spent a
 * third of its time in the kernel's page-fault handler (perf). Three settings, the
 * {@code MALLOC_*_} environment variables set from inside the JVM (a Maven build cannot set its
 * own environment):
 * <ul>
 *   <li>{@code M_MMAP_THRESHOLD} 32 MiB (glibc's maximum for it): blocks up to that size come from
 *       the heap instead of a mapping of their own that is unmapped when freed;
 *   <li>{@code M_TRIM_THRESHOLD} 1 GiB: the main heap keeps up to that much free memory;
 *   <li>{@code M_TOP_PAD} 64 MiB: a JVM's threads allocate from per-thread arenas, whose 64 MiB
 *       heaps glibc unmaps as soon as one is empty unless the pad is as large as a heap; with it,
 *       they stay (and are not shrunk either).
 * </ul>
 *
 * <p>Only where glibc is the C library (Linux); elsewhere, or if the call is missing (musl), a
 * no-op. Memory is reused, never held twice: the peak resident set a build measures is what its
 * tensors needed at once, plus the heaps' fragmentation (5-7 % on the example's memory probes).
 */
final class NativeHeap {
    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_TOP_PAD = -2;
    private static final int M_MMAP_THRESHOLD = -3;
    private static final int MMAP_THRESHOLD = 32 << 20;
    private static final int TRIM_THRESHOLD = 1 << 30;
    private static final int TOP_PAD = 64 << 20;
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
                    tuned = c.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1 && c.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1
                            && c.mallopt(M_TOP_PAD, TOP_PAD) == 1;
                } catch (LinkageError e) {
                    // not glibc: its allocator's defaults stay
                }
            }
        }
        return tuned;
    }
}
