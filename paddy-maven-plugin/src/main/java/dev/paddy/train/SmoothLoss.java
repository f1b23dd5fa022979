package dev.paddy.train;

/**
 * fastai's {@code AvgSmoothLoss}: an exponential moving average of the raw batch losses,
 * debiased by {@code 1 - beta^count} so that the first values are not pulled towards the
 * average's starting zero. The range test compares and records this value, never the raw loss,
 * so one noisy batch neither stops the test nor makes a valley.
 *
 * <p>The update is {@code torch.lerp(loss, avg, beta)} as PyTorch's CPU kernel computes it, one
 * fused multiply-add ({@code avg - (avg - loss)(1 - beta)} for {@code beta >= 0.5}), so the values
 * match a float64 PyTorch run bit for bit. NaN is sticky (every later value is NaN), and so is
 * an infinite loss for one step: the next update computes {@code inf - inf}.
 */
public final class SmoothLoss {
    /** fastai's {@code Recorder(beta=0.98)}. */
    public static final double FASTAI_BETA = 0.98;

    private final double beta;
    private double average;
    private int count;

    public SmoothLoss(double beta) {
        if (!(beta >= 0 && beta < 1)) {
            throw new IllegalArgumentException("beta must be in [0, 1), was " + beta);
        }
        this.beta = beta;
    }

    /** Adds one batch's raw loss and returns the new {@link #value()}. */
    public double add(double loss) {
        count++;
        average = lerp(loss, average, beta);
        return value();
    }

    /** The debiased average; NaN before the first loss (fastai's 0/0). */
    public double value() {
        return average / (1 - Math.pow(beta, count));
    }

    public int count() {
        return count;
    }

    /** ATen's {@code lerp}: which end the weight is measured from decides the rounding. */
    private static double lerp(double start, double end, double weight) {
        return Math.abs(weight) < 0.5
                ? Math.fma(weight, end - start, start)
                : Math.fma(start - end, 1 - weight, end);
    }
}
