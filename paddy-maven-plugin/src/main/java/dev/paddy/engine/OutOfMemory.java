package dev.paddy.engine;

import java.util.Locale;

/**
 * Tells an out-of-memory failure from any other, wherever it surfaced: Java's
 * {@link OutOfMemoryError} (the heap, direct buffers), and the engine's allocator failing, which
 * DJL hands on as an {@code EngineException} with PyTorch's text: {@code DefaultCPUAllocator: not
 * enough memory: you tried to allocate 1073741824 bytes} on the CPU (older versions: {@code can't
 * allocate memory}), {@code CUDA out of memory. Tried to allocate 2.00 GiB ...} on a GPU. A worker
 * thread's failure arrives wrapped (an {@code ExecutionException}'s cause), so the causes are searched.
 */
public final class OutOfMemory {
    private static final String[] ENGINE_PHRASES = {"out of memory", "not enough memory", "can't allocate memory",
            "cannot allocate memory", "failed to allocate memory"};

    private OutOfMemory() {}

    /** The failure in {@code e} or its causes that says memory ran out; null when there is none. */
    public static Throwable find(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                return t;
            }
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            for (String phrase : ENGINE_PHRASES) {
                if (message.contains(phrase)) {
                    return t;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    public static boolean is(Throwable e) {
        return find(e) != null;
    }

    /** Whether the memory that ran out is the Java heap (not the engine's native or device memory). */
    public static boolean javaHeap(Throwable found) {
        return found instanceof OutOfMemoryError;
    }

    /**
     * What ran out, in one line: "the Java heap ran out (OutOfMemoryError: Java heap space)", "the
     * engine's native memory ran out (PyTorch: DefaultCPUAllocator: not enough memory: you tried to
     * allocate 1073741824 bytes.)": the engine's first line, without the C++ source location it starts with.
     */
    public static String describe(Throwable found) {
        String message = found.getMessage() == null ? "" : found.getMessage().strip();
        int newline = message.indexOf('\n');
        String first = (newline < 0 ? message : message.substring(0, newline)).strip();
        if (found instanceof OutOfMemoryError) {
            String what = first.contains("Java heap") || first.contains("GC overhead") ? "the Java heap"
                    : "the JVM's memory";
            return what + " ran out (OutOfMemoryError" + (first.isEmpty() ? "" : ": " + first) + ")";
        }
        // "[enforce fail at alloc_cpu.cpp:117] err == 0. DefaultCPUAllocator: ..." -> "DefaultCPUAllocator: ..."
        int allocator = first.indexOf("DefaultCPUAllocator");
        first = allocator > 0 ? first.substring(allocator) : first.replaceFirst("^\\[enforce fail at [^\\]]*\\]\\s*", "");
        String where = first.toLowerCase(Locale.ROOT).contains("cuda") ? "GPU memory" : "the engine's native memory";
        return where + " ran out (PyTorch: " + first + ")";
    }
}
