package dev.paddy.data;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * Renders an item into a normalised CHW float tensor of the input size, either plainly (the
 * deterministic path of validation and the plain test pass: the whole item, resized) or with
 * fastai's {@code aug_transforms(size, min_scale=0.75)}: a random resized crop, a horizontal
 * flip, rotation up to 10 degrees and zoom up to 1.1 (together with p=0.75), brightness and
 * contrast up to 0.2 in logit space (p=0.75), reflection padding. The affine parts are composed
 * into one map and sampled once, bilinearly, as fastai does on the GPU.
 */
public record Augmentation(double minScale, double maxRotate, double maxZoom, double maxLighting,
                           double pAffine, double pLighting) {

    public static Augmentation fastaiDefaults() {
        return new Augmentation(0.75, 10, 1.1, 0.2, 0.75, 0.75);
    }

    /** The deterministic path: the whole item resized to the input size, normalised. */
    public static void renderPlain(ByteBuffer item, int itemSize, float[] out, int offset, int inputSize,
                                   Normalization normalization) {
        sample(item, itemSize, out, offset, inputSize, itemSize / 2.0, itemSize / 2.0, itemSize, itemSize,
                1, 0, 0, 1, identityLut(), normalization);
    }

    /** The random path, driven entirely by {@code random} so that a seed reproduces it. */
    public void renderRandom(ByteBuffer item, int itemSize, float[] out, int offset, int inputSize, SplittableRandom random,
                             Normalization normalization) {
        // Random resized crop (torchvision's algorithm, fastai's RandomResizedCropGPU).
        double cropW = itemSize;
        double cropH = itemSize;
        double cx = itemSize / 2.0;
        double cy = itemSize / 2.0;
        for (int attempt = 0; attempt < 10; attempt++) {
            double area = random.nextDouble(minScale, 1.0) * itemSize * itemSize;
            double ratio = Math.exp(random.nextDouble(Math.log(3.0 / 4.0), Math.log(4.0 / 3.0)));
            double w = Math.sqrt(area * ratio);
            double h = Math.sqrt(area / ratio);
            if (w <= itemSize && h <= itemSize) {
                cropW = w;
                cropH = h;
                cx = random.nextDouble(w / 2, itemSize - w / 2 + 1e-9);
                cy = random.nextDouble(h / 2, itemSize - h / 2 + 1e-9);
                break;
            }
        }
        // Flip, rotation and zoom as one 2x2 map on normalised coordinates.
        double a = 1, b = 0, c = 0, d = 1;
        if (random.nextBoolean()) {
            a = -1;
        }
        if (random.nextDouble() < pAffine) {
            double angle = Math.toRadians(random.nextDouble(-maxRotate, maxRotate));
            double zoom = random.nextDouble(1.0, maxZoom);
            double cos = Math.cos(angle) / zoom;
            double sin = Math.sin(angle) / zoom;
            double na = cos * a - sin * c;
            double nb = cos * b - sin * d;
            double nc = sin * a + cos * c;
            double nd = sin * b + cos * d;
            a = na;
            b = nb;
            c = nc;
            d = nd;
        }
        float[] lut = identityLut();
        if (random.nextDouble() < pLighting) {
            double brightness = logit(random.nextDouble(0.5 * (1 - maxLighting), 0.5 * (1 + maxLighting)));
            double contrast = Math.exp(random.nextDouble(Math.log(1 - maxLighting), -Math.log(1 - maxLighting)));
            for (int v = 0; v < 256; v++) {
                double x = Math.min(Math.max(v / 255.0, 1e-4), 1 - 1e-4);
                lut[v] = (float) sigmoid(logit(x) * contrast + brightness);
            }
        }
        sample(item, itemSize, out, offset, inputSize, cx, cy, cropW, cropH, a, b, c, d, lut, normalization);
    }

    private static void sample(ByteBuffer item, int s, float[] out, int offset, int size,
                               double cx, double cy, double cropW, double cropH,
                               double a, double b, double c, double d, float[] lut, Normalization normalization) {
        float[] mean = normalization.meanArray();
        float[] std = normalization.stdArray();
        int plane = size * size;
        double last = s - 1;
        for (int y = 0; y < size; y++) {
            double ny = (y + 0.5) / size * 2 - 1;
            for (int x = 0; x < size; x++) {
                double nx = (x + 0.5) / size * 2 - 1;
                double sx = cx + (a * nx + b * ny) * cropW / 2 - 0.5;
                double sy = cy + (c * nx + d * ny) * cropH / 2 - 0.5;
                sx = reflect(sx, last);
                sy = reflect(sy, last);
                int x0 = (int) sx;
                int y0 = (int) sy;
                int x1 = Math.min(x0 + 1, s - 1);
                int y1 = Math.min(y0 + 1, s - 1);
                float fx = (float) (sx - x0);
                float fy = (float) (sy - y0);
                int p00 = (y0 * s + x0) * 3;
                int p01 = (y0 * s + x1) * 3;
                int p10 = (y1 * s + x0) * 3;
                int p11 = (y1 * s + x1) * 3;
                int o = offset + y * size + x;
                for (int ch = 0; ch < 3; ch++) {
                    float top = lut[item.get(p00 + ch) & 0xFF] * (1 - fx) + lut[item.get(p01 + ch) & 0xFF] * fx;
                    float bottom = lut[item.get(p10 + ch) & 0xFF] * (1 - fx) + lut[item.get(p11 + ch) & 0xFF] * fx;
                    float value = top * (1 - fy) + bottom * fy;
                    out[o + ch * plane] = (value - mean[ch]) / std[ch];
                }
            }
        }
    }

    /** Reflection padding: folds a coordinate back into [0, last]. */
    private static double reflect(double v, double last) {
        if (last <= 0) {
            return 0;
        }
        double period = 2 * last;
        v = Math.abs(v) % period;
        return v > last ? period - v : v;
    }

    private static float[] identityLut() {
        float[] lut = new float[256];
        for (int v = 0; v < 256; v++) {
            lut[v] = v / 255f;
        }
        return lut;
    }

    private static double logit(double p) {
        return Math.log(p / (1 - p));
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
