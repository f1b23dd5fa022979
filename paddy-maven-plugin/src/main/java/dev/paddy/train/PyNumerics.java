package dev.paddy.train;

/**
 * The NumPy and PyTorch semantics fastai's learning-rate suggestions rest on, kept apart so that
 * {@link LrSuggestions} reads like the fastai functions it reproduces.
 */
final class PyNumerics {
    private PyNumerics() {
    }

    /**
     * {@code np.gradient(f)} with unit spacing and {@code edge_order=1}: central differences
     * inside, one-sided at both ends.
     *
     * @throws IllegalArgumentException for fewer than 2 values, as NumPy raises
     */
    static double[] gradient(double[] f) {
        int n = f.length;
        if (n < 2) {
            throw new IllegalArgumentException("np.gradient needs at least 2 values, got " + n);
        }
        double[] out = new double[n];
        for (int i = 1; i < n - 1; i++) {
            out[i] = (f[i + 1] - f[i - 1]) / 2.0;
        }
        out[0] = f[1] - f[0];
        out[n - 1] = f[n - 1] - f[n - 2];
        return out;
    }

    /**
     * {@code np.interp(x, xp, fp)} for increasing {@code xp}: clamped to the end values outside,
     * the exact value on a knot, and NumPy's retry from the right knot when the slope makes NaN.
     */
    static double interp(double x, double[] xp, double[] fp) {
        int n = xp.length;
        if (Double.isNaN(x)) {
            return x;
        }
        if (x < xp[0]) {
            return fp[0];
        }
        if (x > xp[n - 1]) {
            return fp[n - 1];
        }
        int j = lastAtOrBelow(xp, x);
        if (j == n - 1 || xp[j] == x) {
            return fp[j];
        }
        double slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
        double y = slope * (x - xp[j]) + fp[j];
        if (Double.isNaN(y)) {
            y = slope * (x - xp[j + 1]) + fp[j + 1];
            if (Double.isNaN(y) && fp[j] == fp[j + 1]) {
                y = fp[j];
            }
        }
        return y;
    }

    /** {@code torch.argmin} of a non-empty array: the first NaN if any, else the first minimum. */
    static int torchArgmin(double[] values) {
        int best = 0;
        for (int i = 0; i < values.length; i++) {
            if (Double.isNaN(values[i])) {
                return i;
            }
            if (values[i] < values[best]) {
                best = i;
            }
        }
        return best;
    }

    /** The index j with xp[j] <= x < xp[j+1] (or the last index when x equals it). */
    private static int lastAtOrBelow(double[] xp, double x) {
        int low = 0;
        int high = xp.length - 1;
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (xp[mid] <= x) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return low;
    }
}
