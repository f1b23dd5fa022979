package dev.paddy.engine;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures the peak memory of a stretch of training, over a baseline taken when it starts.
 *
 * <p>On a GPU: the device's used memory ({@code cudaMemGetInfo}: total - free, device-wide,
 * including PyTorch's caching allocator's reserve), sampled every 2 ms on a daemon thread,
 * because DJL exposes no peak-allocated figure. On the CPU: the process's resident set (VmHWM
 * after a reset of the high-water mark), so it includes the Java heap's growth during training.
 */
public final class PeakMeter implements AutoCloseable {
    private final Device device;
    private final long baseline;
    private final AtomicLong peak = new AtomicLong();
    private final ScheduledExecutorService sampler;

    private PeakMeter(Device device) {
        this.device = device;
        if (device.isGpu()) {
            baseline = gpuUsed(device);
            peak.set(baseline);
            sampler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("paddy-gpu-memory"));
            sampler.scheduleAtFixedRate(() -> peak.accumulateAndGet(gpuUsed(device), Math::max), 0, 2, TimeUnit.MILLISECONDS);
        } else {
            ProcessMemory.resetPeak();
            baseline = ProcessMemory.resident();
            sampler = null;
        }
    }

    /** Starts measuring now: the current usage is the baseline. */
    public static PeakMeter start(Device device) {
        return new PeakMeter(device);
    }

    /** The peak so far, over the baseline, in bytes. */
    public long peakOverBaseline() {
        if (device.isGpu()) {
            peak.accumulateAndGet(gpuUsed(device), Math::max);
            return peak.get() - baseline;
        }
        return ProcessMemory.peak() - baseline;
    }

    /** What is measured, for reports. */
    public String what() {
        return device.isGpu() ? "GPU " + device.getDeviceId() + " memory in use (cudaMemGetInfo)" : "process resident memory (VmHWM)";
    }

    private static long gpuUsed(Device device) {
        return CudaUtils.getGpuMemory(device).getUsed();
    }

    @Override
    public void close() {
        if (sampler != null) {
            sampler.shutdownNow();
        }
    }
}
