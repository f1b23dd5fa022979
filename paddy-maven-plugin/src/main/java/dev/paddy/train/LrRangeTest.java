package dev.paddy.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Leslie Smith's learning-rate range test as fastai 2.7's {@code LRFinder} runs it, without the
 * model: the caller takes one optimizer step at {@link #nextLr()}, hands the step's loss to
 * {@link #record(double)}, and goes on while it returns true.
 *
 * <p>What fastai really does, in the order of its callbacks after each batch (TrainEvalCallback,
 * order -10, counts the step; Recorder, order 50, smooths the loss and records lr and smoothed
 * loss; LRFinder, order 60, decides):
 * <ul>
 *   <li>step {@code i} (from 0) runs at {@code start * (end/start)^(i/numIt)}, so the last step
 *       taken is {@code i = numIt - 1}: with the defaults the test ends at about 8.3, never at
 *       {@code end} = 10;</li>
 *   <li>{@code numIt} below 6 becomes 6;</li>
 *   <li>the best smoothed loss is updated first, then the test stops when the smoothed loss
 *       exceeds 4x the best, or when {@code numIt} steps are done. The step that stops it is
 *       recorded: the diverging point is the last of {@link #losses()}, which is why fastai's
 *       suggestions drop the last 5 points;</li>
 *   <li>a NaN loss never stops the test (every comparison with NaN is false) and every later
 *       smoothed loss is NaN, so such a test runs all {@code numIt} steps; the suggestions cut
 *       the curve at the first NaN. A negative smoothed loss stops it at once (4x a negative best
 *       is below it); fastai's rule assumes losses are positive.</li>
 * </ul>
 * Restoring the weights afterwards is the caller's job, as is counting an optimizer step (not a
 * micro-batch) as one step.
 */
public final class LrRangeTest {
    public static final double FASTAI_START_LR = 1e-7;
    public static final double FASTAI_END_LR = 10;
    public static final int FASTAI_NUM_IT = 100;
    /** fastai's {@code if num_it < 6: num_it = 6}. */
    public static final int MIN_NUM_IT = 6;
    /** Stop when the smoothed loss exceeds this multiple of the best smoothed loss. */
    public static final double DIVERGENCE_FACTOR = 4;

    /** Why the test ended, or that it has not. */
    public enum State { RUNNING, DIVERGED, COMPLETED }

    private final double startLr;
    private final double endLr;
    private final int numIt;
    private final SmoothLoss smooth = new SmoothLoss(SmoothLoss.FASTAI_BETA);
    private final List<Double> lrs = new ArrayList<>();
    private final List<Double> losses = new ArrayList<>();
    private double best = Double.POSITIVE_INFINITY;
    private State state = State.RUNNING;

    public LrRangeTest(double startLr, double endLr, int numIt) {
        if (!(startLr > 0 && endLr > startLr && Double.isFinite(endLr))) {
            throw new IllegalArgumentException("need 0 < startLr < endLr (finite), got " + startLr + " and " + endLr);
        }
        this.startLr = startLr;
        this.endLr = endLr;
        this.numIt = Math.max(numIt, MIN_NUM_IT);
    }

    /** fastai's {@code lr_find()} defaults: 1e-7 to 10 over 100 steps. */
    public static LrRangeTest fastai() {
        return new LrRangeTest(FASTAI_START_LR, FASTAI_END_LR, FASTAI_NUM_IT);
    }

    /** The step count after fastai's minimum of 6; the suggestions' window starts at numIt/10. */
    public int numIt() {
        return numIt;
    }

    /** fastai's {@code SchedExp} at {@code step/numIt}; {@code lr(numIt)} is the end lr, never run. */
    public double lr(int step) {
        return startLr * Math.pow(endLr / startLr, (double) step / numIt);
    }

    /**
     * The learning rate of the step about to be taken.
     *
     * @throws IllegalStateException when the test has ended
     */
    public double nextLr() {
        requireRunning();
        return lr(lrs.size());
    }

    /**
     * Records the loss of the step just taken at {@link #nextLr()}.
     *
     * @return whether to take another step
     * @throws IllegalStateException when the test has already ended
     */
    public boolean record(double rawLoss) {
        requireRunning();
        double value = smooth.add(rawLoss);
        lrs.add(lr(lrs.size()));
        losses.add(value);
        if (value < best) {
            best = value;
        }
        if (value > DIVERGENCE_FACTOR * best) {
            state = State.DIVERGED;
        } else if (lrs.size() >= numIt) {
            state = State.COMPLETED;
        }
        return state == State.RUNNING;
    }

    public State state() {
        return state;
    }

    /** The learning rate of every recorded step, in order. */
    public List<Double> lrs() {
        return List.copyOf(lrs);
    }

    /** The smoothed (debiased) loss of every recorded step, the diverging one included. */
    public List<Double> losses() {
        return List.copyOf(losses);
    }

    /** fastai's suggestions on this curve, as {@code lr_find} computes them. */
    public LrSuggestions suggestions() {
        return LrSuggestions.of(lrs, losses, numIt);
    }

    private void requireRunning() {
        if (state != State.RUNNING) {
            throw new IllegalStateException("the range test has ended (" + state + ") after " + lrs.size() + " steps");
        }
    }
}
