package dev.paddy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.pytorch.jni.JniUtils;
import dev.paddy.io.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 19: the environment a member is trained under, read from /proc/cpuinfo's text and the
 * process's settings, said in one log line, and compared for the bytes of {@code numerics: portable}.
 */
class RunEnvironmentTest {
    /** Two processors of the 2-core AMD EPYC this project's numbers were measured on (flags as its kernel gives them). */
    static final String EPYC = """
            processor\t: 0
            vendor_id\t: AuthenticAMD
            cpu family\t: 25
            model\t\t: 17
            model name\t: AMD EPYC 9R14
            flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse \
            sse2 ht syscall nx mmxext fxsr_opt pdpe1gb rdtscp lm constant_tsc rep_good nopl nonstop_tsc cpuid \
            extd_apicid aperfmperf tsc_known_freq pni pclmulqdq ssse3 fma cx16 pcid sse4_1 sse4_2 x2apic movbe popcnt \
            aes xsave avx f16c rdrand hypervisor lahf_lm cmp_legacy cr8_legacy abm sse4a misalignsse 3dnowprefetch \
            topoext perfctr_core invpcid_single ssbd ibrs ibpb stibp vmmcall fsgsbase bmi1 avx2 smep bmi2 invpcid \
            avx512f avx512dq rdseed adx smap avx512ifma clflushopt clwb avx512cd sha_ni avx512bw avx512vl xsaveopt \
            xsavec xgetbv1 xsaves avx_vnni avx512_bf16 clzero xsaveerptr rdpru wbnoinvd arat avx512vbmi pku ospke \
            avx512_vbmi2 gfni vaes vpclmulqdq avx512_vnni avx512_bitalg avx512_vpopcntdq rdpid flush_l1d
            bugs\t\t: sysret_ss_attrs spectre_v1 spectre_v2 spec_store_bypass srso
            bogomips\t: 5199.99

            processor\t: 1
            vendor_id\t: AuthenticAMD
            model name\t: AMD EPYC 9R14
            flags\t\t: fpu sse4_1 avx2
            """;

    /** An aarch64 kernel's cpuinfo: no "model name", "Features" instead of "flags". */
    static final String GRAVITON = """
            processor\t: 0
            BogoMIPS\t: 243.75
            Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm lrcpc dcpop \
            asimddp ssbs
            CPU implementer\t: 0x41
            CPU architecture: 8
            CPU part\t: 0xd0c
            """;

    private static String cpuinfo(String model, String flags) {
        return "processor\t: 0\nmodel name\t: " + model + "\nflags\t\t: " + flags + "\n";
    }

    @Test
    void theModelAndTheBestIsaComeFromTheFirstProcessorOfCpuinfo() {
        assertEquals(new RunEnvironment.Cpu("AMD EPYC 9R14", "avx512_core_bf16"), RunEnvironment.Cpu.parse(EPYC));
        assertEquals(new RunEnvironment.Cpu(null, null), RunEnvironment.Cpu.parse(GRAVITON), "no model name, no x86 flags");
        assertEquals(new RunEnvironment.Cpu(null, null), RunEnvironment.Cpu.parse(""));
    }

    @Test
    void theIsaIsTheBestOneDnnNameTheFlagsAllow() {
        String avx512 = "sse4_1 avx avx2 fma avx512f avx512cd avx512bw avx512dq avx512vl";
        Map<String, String> expected = Map.of(
                "Intel(R) Xeon(R) Platinum 8488C", avx512 + " avx512_vnni avx512_bf16 avx512_fp16 amx_bf16 amx_tile amx_int8",
                "Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz", avx512 + " avx512_vnni avx512ifma",
                "Intel(R) Xeon(R) Platinum 8175M CPU @ 2.50GHz", avx512,
                "Intel(R) Xeon(R) CPU E5-2686 v4 @ 2.30GHz", "sse sse2 ssse3 sse4_1 sse4_2 avx avx2 fma",
                "Intel(R) Core(TM)2 Quad CPU Q9550 @ 2.83GHz", "sse sse2 ssse3 sse4_1",
                "Intel(R) Core(TM)2 CPU 6600 @ 2.40GHz", "sse sse2 ssse3");
        Map<String, String> isa = Map.of(
                "Intel(R) Xeon(R) Platinum 8488C", "avx512_core_amx",
                "Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz", "avx512_core_vnni",
                "Intel(R) Xeon(R) Platinum 8175M CPU @ 2.50GHz", "avx512_core",
                "Intel(R) Xeon(R) CPU E5-2686 v4 @ 2.30GHz", "avx2",
                "Intel(R) Core(TM)2 Quad CPU Q9550 @ 2.83GHz", "sse41");
        expected.forEach((model, flags) -> assertEquals(new RunEnvironment.Cpu(model, isa.get(model)),
                RunEnvironment.Cpu.parse(cpuinfo(model, flags)), model));
        // AVX-512F alone (Knights Landing) is not oneDNN's avx512_core; AMX without its BF16 base is not AMX.
        assertEquals("avx2", RunEnvironment.Cpu.parse(cpuinfo("x", "sse4_1 avx2 avx512f avx512cd avx512er avx512pf")).isa());
        assertEquals("avx512_core_vnni", RunEnvironment.Cpu.parse(cpuinfo("x", avx512 + " avx512_vnni amx_tile amx_int8"
                + " amx_bf16")).isa());
    }

    @Test
    void theCapIsOneDnnsVariableThenItsOlderNameThenNone() {
        assertEquals("AVX2", RunEnvironment.isaCapInForce(Map.of("ONEDNN_MAX_CPU_ISA", "AVX2", "DNNL_MAX_CPU_ISA", "SSE41")::get));
        assertEquals("SSE41", RunEnvironment.isaCapInForce(Map.of("DNNL_MAX_CPU_ISA", "SSE41")::get));
        assertEquals("none", RunEnvironment.isaCapInForce(Map.<String, String>of()::get));
        assertEquals("none", RunEnvironment.isaCapInForce(Map.of("ONEDNN_MAX_CPU_ISA", " ")::get));
    }

    static RunEnvironment environment(String model, String isa, String cap, int intra, int inter, String numerics) {
        return new RunEnvironment(model, isa, cap, null, null, intra, inter, "cpu()", "PyTorch 2.5.1 (DJL 0.32.0)",
                "Linux", "amd64", "17.0.13", numerics);
    }

    static RunEnvironment portable(String model, String isa) {
        return new RunEnvironment(model, isa, "AVX2", "avx2", "AVX2", 1, 1, "cpu()", "PyTorch 2.5.1 (DJL 0.32.0)",
                "Linux", "amd64", "17.0.13", "portable");
    }

    @Test
    void describeIsOneLineForTheLog() {
        assertEquals("AMD EPYC 9R14, avx512_core_bf16 capped at avx2, ATEN_CPU_CAPABILITY avx2, MKL_CBWR AVX2, 1+1 threads,"
                + " cpu(), PyTorch 2.5.1 (DJL 0.32.0), numerics portable", portable("AMD EPYC 9R14", "avx512_core_bf16").describe());
        assertEquals("AMD EPYC 9R14, avx512_core_bf16, 2+2 threads, cpu(), PyTorch 2.5.1 (DJL 0.32.0), numerics machine",
                environment("AMD EPYC 9R14", "avx512_core_bf16", "none", 2, 2, "machine").describe());
        assertEquals("aarch64 unknown model, ISA unknown, ?+? threads, unknown, unknown, numerics unknown",
                new RunEnvironment("aarch64 unknown model", null, null, null, null, 0, 0, null, null, null, null, null, null)
                        .describe(), "a record's missing fields say unknown");
        assertEquals("avx512_core_bf16", environment("m", "avx512_core_bf16", "ALL", 1, 1, "machine").isa(), "ALL: no cap");
    }

    @Test
    void theCapLowersTheIsaOneDnnUsesNeverRaisesIt() {
        assertEquals("avx2", portable("m", "avx512_core_bf16").effectiveIsa());
        assertEquals("avx2", portable("m", "avx2").effectiveIsa());
        assertEquals("sse41", portable("m", "sse41").effectiveIsa(), "a cap above the CPU leaves the CPU's");
        assertEquals("avx512_core", environment("m", "avx512_core_amx", "AVX512_CORE", 1, 1, "machine").effectiveIsa());
        assertEquals("avx512_core_amx", environment("m", "avx512_core_amx", "AVX10_1_512_AMX", 1, 1, "machine").effectiveIsa(),
                "an alias of the same rank");
        assertEquals("avx512_core_bf16", environment("m", "avx512_core_bf16", "none", 1, 1, "machine").effectiveIsa());
        assertEquals("avx2", environment("m", null, "AVX2", 1, 1, "machine").effectiveIsa(), "no flags: the cap");
    }

    @Test
    void theDifferenceNamesOnlyWhatDiffers() {
        RunEnvironment there = environment("AMD EPYC 9R14", "avx512_core", "none", 2, 1, "machine");
        RunEnvironment here = environment("AMD EPYC 9R14", "avx2", "none", 1, 1, "machine");
        assertEquals("AVX-512, 2 threads vs here AVX2, 1 thread", there.differenceFrom(here));
        assertEquals("", there.differenceFrom(there));
        assertEquals("environment not recorded", there.differenceFrom(null));
        assertEquals("Intel(R) Xeon(R) Platinum 8488C, AVX-512 AMX, 2+2 threads, numerics machine vs here AMD EPYC 9R14,"
                        + " AVX-512 BF16, 1+1 threads, numerics portable",
                environment("Intel(R) Xeon(R) Platinum 8488C", "avx512_core_amx", "none", 2, 2, "machine")
                        .differenceFrom(environment("AMD EPYC 9R14", "avx512_core_bf16", "none", 1, 1, "portable")));
        RunEnvironment gpu = new RunEnvironment("AMD EPYC 9R14", "avx2", "none", null, null, 1, 1, "gpu(0)",
                "PyTorch 2.5.1 (DJL 0.32.0)", "Linux", "amd64", "17.0.13", "machine");
        assertEquals("gpu(0) vs here cpu()", gpu.differenceFrom(here));
        RunEnvironment olderEngine = new RunEnvironment("AMD EPYC 9R14", "avx2", "none", null, "AVX2", 1, 1, "cpu()",
                "PyTorch 2.4.0 (DJL 0.30.0)", "Linux", "amd64", "17.0.13", "machine");
        assertEquals("MKL_CBWR AVX2, PyTorch 2.4.0 (DJL 0.30.0) vs here MKL_CBWR unset, PyTorch 2.5.1 (DJL 0.32.0)",
                olderEngine.differenceFrom(here));
        assertEquals("AMD EPYC 9R14 vs here AMD EPYC 7R13",
                portable("AMD EPYC 9R14", "avx512_core_bf16").differenceFrom(portable("AMD EPYC 7R13", "avx2")),
                "the model differs, the ISA in use (AVX2 under the cap) does not");
    }

    @Test
    void portableBytesAgreeAcrossCpuModelsUnderTheSameCapsAndThreadsOnly() {
        RunEnvironment epyc = portable("AMD EPYC 9R14", "avx512_core_bf16");
        RunEnvironment broadwell = portable("Intel(R) Xeon(R) CPU E5-2686 v4 @ 2.30GHz", "avx2");
        assertTrue(epyc.samePortableBytes(broadwell), "an AVX-512 CPU capped at AVX2 and an AVX2 CPU");
        assertTrue(epyc.samePortableBytes(epyc));
        assertFalse(epyc.samePortableBytes(null));
        assertFalse(portable("Intel(R) Core(TM)2 Quad CPU Q9550", "sse41").samePortableBytes(epyc), "below the cap");
        RunEnvironment twoThreads = new RunEnvironment("AMD EPYC 9R14", "avx512_core_bf16", "AVX2", "avx2", "AVX2", 2, 1,
                "cpu()", "PyTorch 2.5.1 (DJL 0.32.0)", "Linux", "amd64", "17.0.13", "portable");
        assertFalse(epyc.samePortableBytes(twoThreads), "another thread count");
        RunEnvironment noAten = new RunEnvironment("AMD EPYC 9R14", "avx512_core_bf16", "AVX2", null, "AVX2", 1, 1,
                "cpu()", "PyTorch 2.5.1 (DJL 0.32.0)", "Linux", "amd64", "17.0.13", "portable");
        assertFalse(epyc.samePortableBytes(noAten), "ATEN_CPU_CAPABILITY unset");
        RunEnvironment machine = environment("AMD EPYC 9R14", "avx512_core_bf16", "AVX2", 1, 1, "machine");
        assertFalse(machine.samePortableBytes(machine), "machine numerics promise nothing across machines");
    }

    @Test
    void theRecordIsPlainCamelCaseJson() {
        RunEnvironment environment = portable("AMD EPYC 9R14", "avx512_core_bf16");
        String json = Json.toJson(environment);
        assertTrue(json.contains("\"cpuModel\": \"AMD EPYC 9R14\"") && json.contains("\"intraOpThreads\": 1")
                && json.contains("\"atenCpuCapability\": \"avx2\""), json);
        assertEquals(environment, Json.fromJson(json, RunEnvironment.class));
        RunEnvironment partial = Json.fromJson("{\"cpuModel\": \"AMD EPYC 9R14\"}", RunEnvironment.class);
        assertNull(partial.numerics());
        assertEquals(0, partial.intraOpThreads());
    }

    /** The engine's own thread counts (no training: the engine only starts, as the report's tests start it). */
    @Test
    void currentAsksTheEngineForItsThreadsAndTheProcessForItsSettings() {
        RunEnvironment current = RunEnvironment.current(Numerics.PORTABLE,
                Map.of("ONEDNN_MAX_CPU_ISA", "AVX2", "ATEN_CPU_CAPABILITY", "avx2")::get, new RunEnvironment.Cpu("a CPU", "avx2"));
        assertEquals(JniUtils.getNumThreads(), current.intraOpThreads());
        assertEquals(JniUtils.getNumInteropThreads(), current.interOpThreads());
        assertTrue(current.intraOpThreads() >= 1 && current.interOpThreads() >= 1, current.describe());
        Integer property = Integer.getInteger("ai.djl.pytorch.num_threads");
        if (property != null) {
            assertEquals(property, current.intraOpThreads(), "DJL applied -Dai.djl.pytorch.num_threads");
        }
        assertEquals("AVX2", current.isaCap());
        assertEquals("avx2", current.atenCpuCapability());
        assertNull(current.mklCbwr());
        assertEquals(Engines.device().toString(), current.device());
        assertEquals(Engines.version(), current.engine());
        assertEquals(System.getProperty("java.version"), current.javaVersion());
        assertEquals("portable", current.numerics());
        RunEnvironment.Cpu cpu = RunEnvironment.Cpu.current();
        assertFalse(cpu.model().isBlank(), "a model, or the arch and 'unknown model'");
    }
}
