package dev.paddy.experiment;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code paddy:predict} found for a folder of images: the CSV it wrote, and the ensemble's
 * probabilities of each image ({@code probabilities[i][c]}: image {@code ids.get(i)}, class
 * {@code vocabulary.get(c)}).
 *
 * @param ids each image's path under the folder, '/' between folders, in the CSV's order
 */
public record FolderPredictions(Path csv, List<String> ids, List<String> vocabulary, float[][] probabilities) {
    public FolderPredictions {
        ids = List.copyOf(ids);
        vocabulary = List.copyOf(vocabulary);
    }
}
