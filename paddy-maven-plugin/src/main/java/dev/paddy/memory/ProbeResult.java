package dev.paddy.memory;

/**
 * One probe's outcome: the peak memory over the baseline measured in the child, or why the child
 * could not finish (out of memory, killed), which counts as "does not fit".
 */
public record ProbeResult(int accum, boolean completed, long peakBytes, String device, String reason, double seconds) {

    public static ProbeResult failed(int accum, String reason, double seconds) {
        return new ProbeResult(accum, false, -1, "", reason, seconds);
    }

    public boolean fits(long limit) {
        return completed && peakBytes <= limit;
    }
}
