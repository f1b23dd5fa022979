package dev.paddy.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * fastai 2.7's four learning-rate suggestions ({@code valley}, {@code slide}, {@code steep},
 * {@code minimum} in {@code fastai/callback/schedule.py}) on a range test's curve, reproduced
 * with their quirks so that paddy suggests what fastai would, computed in double precision
 * (fastai converts the curve to float32 first; that can only change a choice between points
 * within float32 precision of each other, and changes none on the reference curves).
 *
 * <p>The curve they see is {@code lr_find}'s window: the first {@code numIt/10} points and the
 * last 5 dropped (the last one is where the test diverged), then cut before the first NaN loss.
 *
 * <p>A window too short for a method gives {@link Optional#empty()} (fastai raises an
 * IndexError or ValueError there): {@link Method#minPoints()} says how many points each needs,
 * so a caller can say why. With the defaults (window = recorded steps - 15) a test that recorded
 * fewer than 31 steps has no {@code slide}, fewer than 17 no {@code steep}, fewer than 16 nothing.
 */
public final class LrSuggestions {
    /** slide's defaults in fastai: gradients 15 points apart, equal within .005. */
    public static final int SLIDE_LR_DIFF = 15;
    public static final double SLIDE_THRESH = .005;

    public enum Method {
        /** 1/3 + 1/6 into the longest strictly decreasing subsequence (ESRI's rule). */
        VALLEY(1),
        /** Where the loss gradient stops changing, sliding a 15-point interval leftwards. */
        SLIDE(SLIDE_LR_DIFF + 1),
        /** Steepest descent of the loss against ln(lr). */
        STEEP(2),
        /** One tenth of the lr at the lowest loss. */
        MINIMUM(1);

        private final int minPoints;

        Method(int minPoints) {
            this.minPoints = minPoints;
        }

        /** Points the window must have for this method (slide with its default interval). */
        public int minPoints() {
            return minPoints;
        }

        /** fastai's function name, for tables and files. */
        public String fastaiName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One suggestion and the point fastai marks on its plot: the same lr and its loss, except for
     * {@code minimum}, whose point is the minimum itself while the suggestion is a tenth of it.
     */
    public record Suggestion(Method method, double lr, double pointLr, double pointLoss) {}

    private final double[] lrs;
    private final double[] losses;

    private LrSuggestions(double[] lrs, double[] losses) {
        this.lrs = lrs;
        this.losses = losses;
    }

    /** The suggestions over {@code lr_find}'s window of a whole recorded curve. */
    public static LrSuggestions of(List<Double> lrs, List<Double> losses, int numIt) {
        requireSameSize(lrs.size(), losses.size());
        int from = Math.min(Math.max(0, numIt) / 10, lrs.size());
        int to = Math.max(from, lrs.size() - 5);
        for (int i = from; i < to; i++) {
            if (Double.isNaN(losses.get(i))) {
                to = i;
                break;
            }
        }
        return ofWindow(unbox(lrs.subList(from, to)), unbox(losses.subList(from, to)));
    }

    /**
     * The suggestions over a curve already cut to the window fastai's functions are given.
     *
     * @throws IllegalArgumentException unless the lrs are positive and strictly increasing
     */
    public static LrSuggestions ofWindow(double[] lrs, double[] losses) {
        requireSameSize(lrs.length, losses.length);
        for (int i = 0; i < lrs.length; i++) {
            if (!(lrs[i] > 0) || (i > 0 && !(lrs[i] > lrs[i - 1]))) {
                throw new IllegalArgumentException("learning rates must be positive and increasing, at " + i + ": " + lrs[i]);
            }
        }
        return new LrSuggestions(lrs.clone(), losses.clone());
    }

    /** The number of points the methods see. */
    public int size() {
        return lrs.length;
    }

    public double[] lrs() {
        return lrs.clone();
    }

    public double[] losses() {
        return losses.clone();
    }

    /** Every method the window is long enough for, in {@link Method} order. */
    public List<Suggestion> all() {
        List<Suggestion> all = new ArrayList<>();
        for (Method method : Method.values()) {
            suggest(method).ifPresent(all::add);
        }
        return all;
    }

    public Optional<Suggestion> suggest(Method method) {
        return switch (method) {
            case VALLEY -> valley();
            case SLIDE -> slide(SLIDE_LR_DIFF, SLIDE_THRESH, 1);
            case STEEP -> steep();
            case MINIMUM -> minimum();
        };
    }

    /**
     * fastai's {@code valley}. Its "valley" is the longest strictly decreasing subsequence (not a
     * contiguous run: points that went up in between are skipped over), ending at its first
     * longest end, and its start is taken as {@code end - length}, one before the subsequence's
     * first point. When the index comes out as -1 (a decreasing pair at the window's start and
     * nothing longer), Python's indexing wraps it to the last point, the highest lr. Both kept.
     */
    public Optional<Suggestion> valley() {
        int n = losses.length;
        if (n < Method.VALLEY.minPoints()) {
            return Optional.empty();
        }
        int[] lds = new int[n];
        Arrays.fill(lds, 1);
        int maxStart = 0;
        int maxEnd = 0;
        for (int i = 1; i < n; i++) {
            for (int j = 0; j < i; j++) {
                if (losses[i] < losses[j] && lds[i] < lds[j] + 1) {
                    lds[i] = lds[j] + 1;
                }
                if (lds[maxEnd] < lds[i]) {
                    maxEnd = i;
                    maxStart = maxEnd - lds[maxEnd];
                }
            }
        }
        double sections = (maxEnd - maxStart) / 3.0;
        int idx = Math.floorMod(maxStart + (int) sections + (int) (sections / 2), n);
        return Optional.of(new Suggestion(Method.VALLEY, lrs[idx], lrs[idx], losses[idx]));
    }

    /**
     * fastai's {@code slide}: {@code np.gradient} of the losses per point (unit spacing, so
     * {@code thresh} depends on numIt, not on the lr), then an interval of {@code lrDiff} points
     * slid left from the end while the gradients at its two ends differ by more than
     * {@code thresh}; the suggestion is the left end of the last interval that differed (or of
     * the first one when even that one agreed), times {@code adjustValue}. Its loss is
     * interpolated in log10(lr) as {@code np.interp} does.
     */
    public Optional<Suggestion> slide(int lrDiff, double thresh, double adjustValue) {
        if (lrDiff < 1) {
            throw new IllegalArgumentException("lrDiff must be at least 1, was " + lrDiff);
        }
        int n = losses.length;
        if (n < lrDiff + 1) {
            return Optional.empty();
        }
        double[] grad = PyNumerics.gradient(losses);
        int right = n - 1;
        int left = right - lrDiff;
        double localMinLr = lrs[left];
        while (left >= 0 && Math.abs(grad[right] - grad[left]) > thresh) {
            localMinLr = lrs[left];
            right--;
            left--;
        }
        double suggestion = localMinLr * adjustValue;
        double[] logLrs = new double[n];
        for (int i = 0; i < n; i++) {
            logLrs[i] = Math.log10(lrs[i]);
        }
        double loss = PyNumerics.interp(Math.log10(suggestion), logLrs, losses);
        return Optional.of(new Suggestion(Method.SLIDE, suggestion, suggestion, loss));
    }

    /** fastai's {@code steep}: the left point of the steepest pair, slope taken against ln(lr). */
    public Optional<Suggestion> steep() {
        int n = losses.length;
        if (n < Method.STEEP.minPoints()) {
            return Optional.empty();
        }
        double[] grads = new double[n - 1];
        for (int i = 0; i < n - 1; i++) {
            grads[i] = (losses[i + 1] - losses[i]) / (Math.log(lrs[i + 1]) - Math.log(lrs[i]));
        }
        int idx = PyNumerics.torchArgmin(grads);
        return Optional.of(new Suggestion(Method.STEEP, lrs[idx], lrs[idx], losses[idx]));
    }

    /** fastai's {@code minimum}: a tenth of the lr at the first lowest loss. */
    public Optional<Suggestion> minimum() {
        if (losses.length < Method.MINIMUM.minPoints()) {
            return Optional.empty();
        }
        int idx = PyNumerics.torchArgmin(losses);
        return Optional.of(new Suggestion(Method.MINIMUM, lrs[idx] / 10, lrs[idx], losses[idx]));
    }

    private static void requireSameSize(int lrs, int losses) {
        if (lrs != losses) {
            throw new IllegalArgumentException(lrs + " learning rates but " + losses + " losses");
        }
    }

    private static double[] unbox(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
