package dev.paddy.data;

/**
 * Separable resampling with a triangle filter widened by the scale factor when shrinking (as
 * Pillow's antialiased BILINEAR does), so that downsizing a 640x480 photo does not alias.
 */
final class Resampler {
    private Resampler() {}

    /**
     * Resizes the rectangle (x0, y0, w, h) of a packed RGB image to {@code dw x dh} and writes it
     * as RGB bytes into {@code out} (a square canvas of side {@code canvas}) at (dx, dy).
     */
    static void resize(byte[] rgb, int width, int height, double x0, double y0, double w, double h,
                       byte[] out, int canvas, int dx, int dy, int dw, int dh) {
        Weights horizontal = Weights.of(width, x0, w, dw);
        Weights vertical = Weights.of(height, y0, h, dh);
        // Horizontal pass: height rows x dw columns x 3 channels.
        float[] rows = new float[height * dw * 3];
        for (int y = 0; y < height; y++) {
            int rowBase = y * width;
            for (int x = 0; x < dw; x++) {
                float r = 0, g = 0, b = 0;
                int first = horizontal.first[x];
                for (int k = 0; k < horizontal.count[x]; k++) {
                    int p = (rowBase + first + k) * 3;
                    float weight = horizontal.weights[x][k];
                    r += weight * (rgb[p] & 0xFF);
                    g += weight * (rgb[p + 1] & 0xFF);
                    b += weight * (rgb[p + 2] & 0xFF);
                }
                int o = (y * dw + x) * 3;
                rows[o] = r;
                rows[o + 1] = g;
                rows[o + 2] = b;
            }
        }
        // Vertical pass into the canvas.
        for (int y = 0; y < dh; y++) {
            int first = vertical.first[y];
            for (int x = 0; x < dw; x++) {
                float r = 0, g = 0, b = 0;
                for (int k = 0; k < vertical.count[y]; k++) {
                    int o = ((first + k) * dw + x) * 3;
                    float weight = vertical.weights[y][k];
                    r += weight * rows[o];
                    g += weight * rows[o + 1];
                    b += weight * rows[o + 2];
                }
                int o = ((dy + y) * canvas + dx + x) * 3;
                out[o] = clamp(r);
                out[o + 1] = clamp(g);
                out[o + 2] = clamp(b);
            }
        }
    }

    private static byte clamp(float value) {
        int v = Math.round(value);
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }

    /** Filter taps for one axis: for each output index, the first input index and its weights. */
    private record Weights(int[] first, int[] count, float[][] weights) {
        static Weights of(int inSize, double start, double length, int outSize) {
            double scale = length / outSize;
            double support = Math.max(1.0, scale);
            int[] first = new int[outSize];
            int[] count = new int[outSize];
            float[][] weights = new float[outSize][];
            for (int i = 0; i < outSize; i++) {
                double centre = start + (i + 0.5) * scale;
                int lo = Math.max(0, (int) Math.floor(centre - support));
                int hi = Math.min(inSize - 1, (int) Math.ceil(centre + support));
                float[] w = new float[hi - lo + 1];
                double total = 0;
                for (int j = lo; j <= hi; j++) {
                    double t = Math.abs((j + 0.5 - centre) / support);
                    double value = t < 1 ? 1 - t : 0;
                    w[j - lo] = (float) value;
                    total += value;
                }
                if (total == 0) {
                    int nearest = Math.min(inSize - 1, Math.max(0, (int) centre));
                    lo = nearest;
                    w = new float[] {1f};
                    total = 1;
                }
                for (int k = 0; k < w.length; k++) {
                    w[k] /= (float) total;
                }
                first[i] = lo;
                count[i] = w.length;
                weights[i] = w;
            }
            return new Weights(first, count, weights);
        }
    }
}
