package dev.paddy.engine;

import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What decides the bytes a PyTorch computation gives on this machine, as recorded in a member's
 * {@code training.json} and shown in the report: the CPU and the best x86 ISA it offers, the caps
 * set on the ISA libtorch's kernels use, the thread counts, the device, the engine, and the
 * {@code numerics} mode the caller ran under ("machine" or "portable"). See docs/internals.md,
 * "Numerics across machines", for which of these libtorch honours.
 *
 * <p>Read from a file an earlier or later paddy wrote, any field may be null (and the thread
 * counts 0): every method here says "unknown" for those instead of failing.
 *
 * @param cpuModel the CPU's name: /proc/cpuinfo's first "model name" on Linux; off Linux, or where
 *     the file has none (many ARM kernels), {@code os.arch} + " unknown model" (paddy spawns no
 *     process, so macOS's {@code sysctl} is not asked)
 * @param cpuIsa the best x86 ISA the CPU's flags offer, by oneDNN's name ({@code avx512_core_amx},
 *     {@code avx512_core_bf16}, {@code avx512_core_vnni}, {@code avx512_core}, {@code avx2},
 *     {@code sse41}); null when not known (no /proc/cpuinfo flags, not x86)
 * @param isaCap the oneDNN ISA cap in force: the environment's {@code ONEDNN_MAX_CPU_ISA} (or its
 *     older name {@code DNNL_MAX_CPU_ISA}, which oneDNN reads too) as set, else "none"
 * @param atenCpuCapability the environment's {@code ATEN_CPU_CAPABILITY} as set, or null
 * @param mklCbwr the environment's {@code MKL_CBWR} as set, or null
 * @param intraOpThreads the intra-op threads the engine uses: {@code JniUtils.getNumThreads()}
 *     ({@code torch::get_num_threads()}), after DJL applied {@code -Dai.djl.pytorch.num_threads}
 *     or libtorch read {@code OMP_NUM_THREADS}; 0 when not known
 * @param interOpThreads the inter-op threads: {@code JniUtils.getNumInteropThreads()}
 *     ({@code torch::get_num_interop_threads()}, set from {@code -Dai.djl.pytorch.num_interop_threads}); 0 when not known
 * @param device the device training runs on ({@link Engines#device()}: "cpu()" or "gpu(0)")
 * @param engine {@link Engines#version()}: "PyTorch 2.5.1 (DJL 0.32.0)"
 * @param osName {@code os.name}
 * @param osArch {@code os.arch}
 * @param javaVersion {@code java.version}
 * @param numerics the caller's numerics mode: "machine" or "portable"
 */
public record RunEnvironment(
        String cpuModel,
        String cpuIsa,
        String isaCap,
        String atenCpuCapability,
        String mklCbwr,
        int intraOpThreads,
        int interOpThreads,
        String device,
        String engine,
        String osName,
        String osArch,
        String javaVersion,
        String numerics) {

    /** The ISA cap when none is set. */
    static final String NO_CAP = "none";

    /**
     * oneDNN's x86 ISAs (its {@code ONEDNN_MAX_CPU_ISA} values, lower case) by rank, so a cap can be
     * compared with what the CPU offers; aliases share a rank. oneDNN's order is partial (AVX2_VNNI
     * and AVX2_VNNI_2 sit beside AVX-512, not under it): this line through it is close enough for
     * the caps paddy sets (AVX2 and up the AVX-512 branch).
     */
    private static final Map<String, Integer> ISA_RANK = Map.ofEntries(
            Map.entry("sse41", 1), Map.entry("avx", 2), Map.entry("avx2", 3), Map.entry("avx2_vnni", 4),
            Map.entry("avx2_vnni_2", 5), Map.entry("avx512_core", 6), Map.entry("avx512_core_vnni", 7),
            Map.entry("avx512_core_bf16", 8), Map.entry("avx10_1_512", 9), Map.entry("avx512_core_fp16", 9),
            Map.entry("avx10_1_512_amx", 10), Map.entry("avx512_core_amx", 10),
            Map.entry("avx10_1_512_amx_fp16", 11), Map.entry("avx512_core_amx_fp16", 11));

    /** How a log line names an ISA. */
    private static final Map<String, String> ISA_WORDS = Map.ofEntries(
            Map.entry("sse41", "SSE4.1"), Map.entry("avx", "AVX"), Map.entry("avx2", "AVX2"),
            Map.entry("avx2_vnni", "AVX2 VNNI"), Map.entry("avx2_vnni_2", "AVX2 VNNI 2"),
            Map.entry("avx512_core", "AVX-512"), Map.entry("avx512_core_vnni", "AVX-512 VNNI"),
            Map.entry("avx512_core_bf16", "AVX-512 BF16"), Map.entry("avx10_1_512", "AVX-512 FP16"),
            Map.entry("avx512_core_fp16", "AVX-512 FP16"), Map.entry("avx512_core_amx", "AVX-512 AMX"),
            Map.entry("avx10_1_512_amx", "AVX-512 AMX"), Map.entry("avx512_core_amx_fp16", "AVX-512 AMX FP16"),
            Map.entry("avx10_1_512_amx_fp16", "AVX-512 AMX FP16"));

    /** The CPU's name and best oneDNN ISA (null when not known), as /proc/cpuinfo gives them. */
    public record Cpu(String model, String isa) {
        /**
         * The first "model name" and the best ISA of the first "flags" line of {@code cpuinfo}
         * (the text of /proc/cpuinfo); a part the text lacks is null.
         */
        public static Cpu parse(String cpuinfo) {
            String model = null;
            String flags = null;
            for (String line : cpuinfo.split("\n")) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String key = line.substring(0, colon).strip();
                String value = line.substring(colon + 1).strip();
                if (model == null && key.equals("model name") && !value.isEmpty()) {
                    model = value;
                } else if (flags == null && key.equals("flags")) {
                    flags = value;
                }
            }
            return new Cpu(model, flags == null ? null : bestIsa(new HashSet<>(Arrays.asList(flags.split("\\s+")))));
        }

        /**
         * This machine's CPU: /proc/cpuinfo on Linux (cheap: no engine is loaded); elsewhere, or
         * when the file cannot be read, {@code os.arch} + " unknown model" and no ISA.
         */
        public static Cpu current() {
            String arch = System.getProperty("os.arch", "unknown");
            Cpu parsed = new Cpu(null, null);
            if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
                try {
                    parsed = parse(Files.readString(Path.of("/proc/cpuinfo"), StandardCharsets.ISO_8859_1));
                } catch (IOException | RuntimeException e) {
                    // a container without /proc: the model is unknown, never a failed build
                }
            }
            return new Cpu(parsed.model() == null ? arch + " unknown model" : parsed.model(), parsed.isa());
        }
    }

    /**
     * The best of the ISAs oneDNN names that the CPU {@code flags} (Linux's names, as in
     * /proc/cpuinfo) offer, by the features oneDNN's {@code mayiuse} requires for each (AMX as
     * oneDNN 3 has it, an alias of AVX10.1/512 AMX: with AVX-512 FP16); null when not even SSE4.1
     * is there (or the flags are not x86's).
     */
    static String bestIsa(Set<String> flags) {
        boolean core = flags.containsAll(Set.of("avx512f", "avx512bw", "avx512vl", "avx512dq"));
        boolean vnni = core && flags.contains("avx512_vnni");
        boolean bf16 = vnni && flags.contains("avx512_bf16");
        if (bf16 && flags.containsAll(Set.of("avx512_fp16", "amx_tile", "amx_int8", "amx_bf16"))) {
            return "avx512_core_amx";
        }
        return bf16 ? "avx512_core_bf16" : vnni ? "avx512_core_vnni" : core ? "avx512_core"
                : flags.contains("avx2") ? "avx2" : flags.contains("sse4_1") ? "sse41" : null;
    }

    /** The environment of this JVM, computing with {@code numerics}; starts the PyTorch engine if it has not started yet. */
    public static RunEnvironment current(Numerics numerics) {
        return current(numerics, System::getenv, Cpu.current());
    }

    /** {@link #current(Numerics)} with the environment variables of {@code env} and the given CPU (for tests). */
    static RunEnvironment current(Numerics numerics, Function<String, String> env, Cpu cpu) {
        Engines.pytorch();
        return of(numerics, env, cpu, JniUtils.getNumThreads(), JniUtils.getNumInteropThreads());
    }

    /**
     * The environment a worker of this machine computes a member with {@code numerics} in: this
     * JVM's, with what the numerics pin in place of its own (for a shared prediction, to say how the
     * machine that made it differs from this one).
     */
    public static RunEnvironment ofWorker(Numerics numerics) {
        Engines.pytorch();
        Map<String, String> pinned = numerics.environment(0);
        Function<String, String> env = name -> pinned.containsKey(name) ? pinned.get(name) : System.getenv(name);
        return numerics == Numerics.PORTABLE
                ? of(numerics, env, Cpu.current(), Numerics.PORTABLE_THREADS, Numerics.PORTABLE_THREADS)
                : of(numerics, env, Cpu.current(), JniUtils.getNumThreads(), JniUtils.getNumInteropThreads());
    }

    private static RunEnvironment of(Numerics numerics, Function<String, String> env, Cpu cpu, int intraOp, int interOp) {
        return new RunEnvironment(cpu.model(), cpu.isa(), isaCapInForce(env), env.apply("ATEN_CPU_CAPABILITY"),
                env.apply("MKL_CBWR"), intraOp, interOp, Engines.device().toString(), Engines.version(),
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"),
                numerics.manifestName());
    }

    /** Whether this was computed with {@code numerics: portable}. */
    public boolean portable() {
        return Numerics.PORTABLE.manifestName().equals(numerics);
    }

    /** The oneDNN ISA cap this process runs under: {@code ONEDNN_MAX_CPU_ISA}, else {@code DNNL_MAX_CPU_ISA}, else "none". */
    public static String isaCapInForce() {
        return isaCapInForce(System::getenv);
    }

    static String isaCapInForce(Function<String, String> env) {
        for (String name : List.of("ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA")) {
            String value = env.apply(name);
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        return NO_CAP;
    }

    /**
     * The CPU's ISA and the cap on it, for a fact line: "avx512_core_bf16", "avx512_core_bf16
     * capped at avx2", "ISA unknown capped at avx2".
     */
    public static String isaWithCap(String isa, String cap) {
        String offered = isa == null ? "ISA unknown" : isa;
        return noCap(cap) ? offered : offered + " capped at " + cap.toLowerCase(Locale.ROOT);
    }

    /** This environment's ISA and cap: see {@link #isaWithCap(String, String)}. */
    public String isa() {
        return isaWithCap(cpuIsa, isaCap);
    }

    /**
     * The ISA oneDNN's kernels use here: the lower of the CPU's best and the cap (oneDNN's lower-case
     * name), the cap as written when it is not one oneDNN names, null when neither is known.
     */
    public String effectiveIsa() {
        String cap = isaCap == null ? NO_CAP : isaCap.strip().toLowerCase(Locale.ROOT);
        if (noCap(cap)) {
            return cpuIsa;
        }
        if (cpuIsa == null || !ISA_RANK.containsKey(cap) || !ISA_RANK.containsKey(cpuIsa)) {
            return cpuIsa == null ? cap : cpuIsa + " capped at " + cap;
        }
        return ISA_RANK.get(cap) < ISA_RANK.get(cpuIsa) ? cap : cpuIsa;
    }

    /** "none" (paddy's word), "all" and "default" (oneDNN's): no cap below what the CPU offers. */
    private static boolean noCap(String cap) {
        return cap == null || cap.equalsIgnoreCase(NO_CAP) || cap.equalsIgnoreCase("all") || cap.equalsIgnoreCase("default");
    }

    /** "1+1 threads" (intra-op + inter-op); "? threads" for a count not known. */
    public String threads() {
        return count(intraOpThreads) + "+" + count(interOpThreads) + " threads";
    }

    private static String count(int threads) {
        return threads > 0 ? String.valueOf(threads) : "?";
    }

    /**
     * One line for a log: "AMD EPYC 9R14, avx512_core_bf16 capped at avx2, 1+1 threads, cpu(),
     * PyTorch 2.5.1 (DJL 0.32.0), numerics portable", with ATEN_CPU_CAPABILITY and MKL_CBWR after
     * the ISA when they are set.
     */
    public String describe() {
        return known(cpuModel) + ", " + isaSettings() + ", " + threads() + ", " + known(device) + ", " + known(engine)
                + ", numerics " + known(numerics);
    }

    /**
     * The ISA, its cap and the other ISA settings in force, for a fact line: "avx512_core_bf16
     * capped at avx2, ATEN_CPU_CAPABILITY avx2, MKL_CBWR AVX2" (the last two only when set).
     */
    public String isaSettings() {
        return isa() + (atenCpuCapability == null ? "" : ", ATEN_CPU_CAPABILITY " + atenCpuCapability)
                + (mklCbwr == null ? "" : ", MKL_CBWR " + mklCbwr);
    }

    private static String known(String value) {
        return value == null || value.isBlank() ? "unknown" : value;
    }

    /**
     * Whether {@code other} computes the same bytes as this environment under {@code numerics:
     * portable}: both ran portable, with the same ISA in oneDNN's kernels (the CPU's best under the
     * cap), the same {@code ATEN_CPU_CAPABILITY} and {@code MKL_CBWR}, the same intra-op and
     * inter-op thread counts, the same device and the same engine. The CPU model is not compared:
     * that is what portable numerics is for (measured on one AMD CPU so far; see docs/internals.md).
     * A field not known on either side is a difference.
     */
    public boolean samePortableBytes(RunEnvironment other) {
        return other != null && portable() && other.portable()
                && differences(other, false).isEmpty();
    }

    /**
     * How this environment (where something was computed) differs from {@code here}, in a few words
     * for a log line: "AVX-512, 2 threads vs here AVX2, 1 thread" (only the aspects that differ:
     * CPU model, ISA, ATEN_CPU_CAPABILITY, MKL_CBWR, threads, device, engine, numerics); empty when
     * none does. A null {@code here} (not recorded) is "environment not recorded".
     */
    public String differenceFrom(RunEnvironment here) {
        if (here == null) {
            return "environment not recorded";
        }
        List<String[]> words = differences(here, true);
        if (words.isEmpty()) {
            return "";
        }
        return String.join(", ", words.stream().map(w -> w[0]).toList()) + " vs here "
                + String.join(", ", words.stream().map(w -> w[1]).toList());
    }

    /** The differing aspects as {there, here} words; the CPU model only when {@code withModel}. */
    private List<String[]> differences(RunEnvironment here, boolean withModel) {
        List<String[]> out = new ArrayList<>();
        if (withModel) {
            aspect(out, cpuModel, here.cpuModel, false, RunEnvironment::known);
        }
        aspect(out, effectiveIsa(), here.effectiveIsa(), false, RunEnvironment::isaWord);
        aspect(out, atenCpuCapability, here.atenCpuCapability, true, v -> "ATEN_CPU_CAPABILITY " + (v == null ? "unset" : v));
        aspect(out, mklCbwr, here.mklCbwr, true, v -> "MKL_CBWR " + (v == null ? "unset" : v));
        if (intraOpThreads != here.intraOpThreads || interOpThreads != here.interOpThreads
                || intraOpThreads <= 0 || interOpThreads <= 0) {
            boolean both = interOpThreads != here.interOpThreads || interOpThreads <= 0;
            out.add(new String[] {threadWords(both), here.threadWords(both)});
        }
        aspect(out, device, here.device, false, RunEnvironment::known);
        aspect(out, engine, here.engine, false, RunEnvironment::known);
        aspect(out, numerics, here.numerics, false, v -> "numerics " + known(v));
        return out;
    }

    /**
     * Adds the aspect's words when the values differ, or when one is null and null means not known
     * (not {@code unsetIsAValue}: a variable not set on either side is the same setting).
     */
    private static void aspect(List<String[]> out, String there, String here, boolean unsetIsAValue,
                               Function<String, String> words) {
        boolean same = there == null || here == null ? unsetIsAValue && there == here : there.equalsIgnoreCase(here);
        if (!same) {
            out.add(new String[] {words.apply(there), words.apply(here)});
        }
    }

    private static String isaWord(String isa) {
        return isa == null ? "ISA unknown" : ISA_WORDS.getOrDefault(isa, isa);
    }

    /** "1 thread", "2 threads", or with the inter-op count "2+1 threads". */
    private String threadWords(boolean withInterOp) {
        if (withInterOp) {
            return threads();
        }
        return intraOpThreads == 1 ? "1 thread" : count(intraOpThreads) + " threads";
    }
}
