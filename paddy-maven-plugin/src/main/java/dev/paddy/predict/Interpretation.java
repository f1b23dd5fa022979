package dev.paddy.predict;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * What a model got wrong on labelled images, as fastai's {@code ClassificationInterpretation}:
 * the confusion matrix and the top losses, from the true labels and the predicted probabilities.
 */
public final class Interpretation {
    private Interpretation() {}

    /** One image's prediction: its position, true and predicted class, the predicted class's probability, the loss. */
    public record Loss(int index, int actual, int predicted, double probability, double loss) {}

    /** {@code [actual][predicted]} counts. */
    public static int[][] confusion(int[] actual, float[][] probabilities, int classes) {
        int[][] counts = new int[classes][classes];
        for (int i = 0; i < actual.length; i++) {
            counts[actual[i]][argmax(probabilities[i])]++;
        }
        return counts;
    }

    /** The {@code k} images with the largest cross-entropy loss, largest first (ties: the earlier image). */
    public static List<Loss> topLosses(int[] actual, float[][] probabilities, int k) {
        List<Loss> losses = new ArrayList<>();
        for (int i = 0; i < actual.length; i++) {
            int predicted = argmax(probabilities[i]);
            double p = Math.max(probabilities[i][actual[i]], 1e-12);
            losses.add(new Loss(i, actual[i], predicted, probabilities[i][predicted], -Math.log(p)));
        }
        return losses.stream().sorted(Comparator.comparingDouble(Loss::loss).reversed()
                .thenComparingInt(Loss::index)).limit(k).toList();
    }

    private static int argmax(float[] values) {
        return IntStream.range(0, values.length).reduce((a, b) -> values[b] > values[a] ? b : a).orElseThrow();
    }
}
