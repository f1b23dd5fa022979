package dev.paddy.train;

import java.util.ArrayList;
import java.util.List;

/**
 * An epoch's items cut into optimizer-step windows of the effective batch size, each cut into
 * micro-batches. The last window of an epoch may be smaller: it is stepped on (not dropped) and
 * its micro-batches are scaled by their share of that smaller window (not of a full one).
 */
public record Windows(List<int[]> microBatches, List<Integer> microBatchesPerWindow, List<Integer> windowSizes) {

    public static Windows of(int[] order, int batchSize, int microBatchSize) {
        List<int[]> micro = new ArrayList<>();
        List<Integer> perWindow = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        for (int start = 0; start < order.length; start += batchSize) {
            int end = Math.min(order.length, start + batchSize);
            int count = 0;
            for (int m = start; m < end; m += microBatchSize) {
                int[] group = new int[Math.min(microBatchSize, end - m)];
                System.arraycopy(order, m, group, 0, group.length);
                micro.add(group);
                count++;
            }
            perWindow.add(count);
            sizes.add(end - start);
        }
        return new Windows(List.copyOf(micro), List.copyOf(perWindow), List.copyOf(sizes));
    }

    /** Optimizer steps in one epoch of {@code items} items. */
    public static int stepsPerEpoch(int items, int batchSize) {
        return (items + batchSize - 1) / batchSize;
    }
}
