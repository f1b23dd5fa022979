package dev.paddy.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;

/**
 * Starts DJL's PyTorch engine from the native library on the class path, never from the network:
 * DJL's offline mode turns a missing native jar into a clear error instead of a download.
 */
public final class Engines {
    private Engines() {}

    public static synchronized Engine pytorch() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        NativeHeap.keepFreedMemory();
        // DJL reports its library loading through SLF4J; the engine itself has no other output.
        try {
            return Engine.getEngine("PyTorch");
        } catch (EngineException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot start the PyTorch engine offline: " + e.getMessage()
                    + ". The native library comes from the jar ai.djl.pytorch:pytorch-native-cpu (classifier linux-x86_64,"
                    + " osx-aarch64 or win-x86_64, chosen by the build's OS)"
                    + " or pytorch-native-cu124 with -Pcuda; check that it is on the plugin's class path.", e);
        }
    }

    /** The device training runs on: the first GPU when the engine sees one, else the CPU. */
    public static Device device() {
        Engine engine = pytorch();
        return engine.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
    }

    /** The GPUs the engine sees (0 on a CPU-only machine). */
    public static int gpuCount() {
        return pytorch().getGpuCount();
    }

    /** "PyTorch 2.5.1 (DJL 0.32.0)", part of every cache key. */
    public static String version() {
        Engine engine = pytorch();
        return engine.getEngineName() + " " + engine.getVersion() + " (DJL " + Engine.getDjlVersion() + ")";
    }
}
