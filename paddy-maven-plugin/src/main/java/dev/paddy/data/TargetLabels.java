package dev.paddy.data;

import java.util.List;

/**
 * A target beyond the folder label: a column of the labels CSV ({@code name}), its classes
 * (the column's sorted distinct values) and each training image's class index, in the order of
 * {@link PaddyData#train()}.
 */
public record TargetLabels(String name, List<String> vocabulary, int[] labels) {
    public TargetLabels {
        vocabulary = List.copyOf(vocabulary);
    }
}
