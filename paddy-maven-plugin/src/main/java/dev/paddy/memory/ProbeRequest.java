package dev.paddy.memory;

import dev.paddy.model.ModelSource;
import java.util.List;

/**
 * What one probe trains: a member's model, sizes, optimizer and batch at one accumulation
 * factor, for a few optimizer steps on the given images. Sent to the child JVM as JSON.
 */
public record ProbeRequest(
        ModelSource model, int classes, String itemResize, int itemSize, int inputSize, String optimizer,
        double weightDecay, int batchSize, int accum, int steps, List<String> images) {

    public int microBatchSize() {
        return batchSize / accum;
    }
}
