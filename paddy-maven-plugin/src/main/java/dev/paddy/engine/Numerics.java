package dev.paddy.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which numeric paths a member's worker lets libtorch take. {@link #MACHINE}: the best this
 * machine offers (oneDNN's and MKL's widest instruction set, a thread per core); deterministic on
 * one machine, not across CPU kinds or core counts. {@link #PORTABLE}: the paths pinned so that
 * every x86-64 CPU with AVX2 computes the same bytes: oneDNN capped at AVX2, ATen's kernels at
 * AVX2, MKL's conditional numerical reproducibility at its AVX2 branch, one intra-op and one
 * inter-op thread. Each of these is read by libtorch when it loads, so only a worker started with
 * them set is pinned (docs/internals.md, "Numerics across machines", has the measurements).
 */
public enum Numerics {
    MACHINE,
    PORTABLE;

    /** The threads a {@link #PORTABLE} worker computes with: results depend on the count, not on the cores. */
    public static final int PORTABLE_THREADS = 1;

    /** The manifest's word for it: {@code machine}, {@code portable}. */
    public String manifestName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The environment variables a worker starts with: the pins for {@link #PORTABLE}; for
     * {@link #MACHINE}, {@code threads} intra-op threads when a worker gets a share of the cores
     * (0: libtorch's own default, a thread per core).
     */
    public Map<String, String> environment(int threads) {
        Map<String, String> environment = new LinkedHashMap<>();
        if (this == PORTABLE) {
            environment.put("ONEDNN_MAX_CPU_ISA", "AVX2");
            environment.put("ATEN_CPU_CAPABILITY", "avx2");
            environment.put("MKL_CBWR", "AVX2");
            environment.put("CUBLAS_WORKSPACE_CONFIG", ":4096:8"); // cuBLAS's deterministic workspace, for a GPU
            threads = PORTABLE_THREADS;
        }
        if (threads > 0) {
            environment.put("OMP_NUM_THREADS", Integer.toString(threads));
            environment.put("MKL_NUM_THREADS", Integer.toString(threads));
        }
        return environment;
    }

    /** Whether this JVM was started with the environment {@link #environment} gives. */
    public boolean pinnedHere() {
        return environment(0).entrySet().stream().allMatch(e -> e.getValue().equals(System.getenv(e.getKey())));
    }

    /** These numerics if this JVM was started with them pinned ({@link #pinnedHere}), else the machine's: what a record may claim. */
    public Numerics inForceHere() {
        return pinnedHere() ? this : MACHINE;
    }

    /** The JVM options that set DJL's PyTorch thread counts, as {@link #environment} does. */
    public List<String> jvmOptions(int threads) {
        if (this == PORTABLE) {
            return List.of("-Dai.djl.pytorch.num_threads=" + PORTABLE_THREADS,
                    "-Dai.djl.pytorch.num_interop_threads=" + PORTABLE_THREADS);
        }
        return threads > 0 ? List.of("-Dai.djl.pytorch.num_threads=" + threads) : List.of();
    }
}
