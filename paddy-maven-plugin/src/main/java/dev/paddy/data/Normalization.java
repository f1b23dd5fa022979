package dev.paddy.data;

import java.util.List;
import java.util.Locale;

/**
 * The per-channel mean and standard deviation an image is normalised with after scaling to
 * [0, 1]. ImageNet's by default, as fastai's {@code Normalize.from_stats(*imagenet_stats)} and
 * most pretrained bodies expect; a timm model names its own in its pretrained config.
 */
public record Normalization(List<Double> mean, List<Double> std) {
    public static final Normalization IMAGENET = new Normalization(List.of(0.485, 0.456, 0.406), List.of(0.229, 0.224, 0.225));

    public Normalization {
        mean = List.copyOf(mean);
        std = List.copyOf(std);
        if (mean.size() != 3 || std.size() != 3) {
            throw new IllegalArgumentException("a normalisation needs 3 means and 3 standard deviations");
        }
    }

    float[] meanArray() {
        return floats(mean);
    }

    float[] stdArray() {
        return floats(std);
    }

    private static float[] floats(List<Double> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i).floatValue();
        }
        return out;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "mean %s, std %s", mean, std);
    }
}
