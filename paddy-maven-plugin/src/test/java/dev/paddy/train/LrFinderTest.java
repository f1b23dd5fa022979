package dev.paddy.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.paddy.TinyPaddy;
import dev.paddy.Training;
import dev.paddy.data.Augmentation;
import dev.paddy.data.BatchLoader;
import dev.paddy.data.ItemTransform;
import dev.paddy.data.Normalization;
import dev.paddy.model.ModelSource;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The lr finder on a small real problem (3 Fashion-MNIST classes, resnet18, real DJL training):
 * training at its valley suggestion reduces the loss, 100 times that lr shoots the loss up, and
 * the trial leaves nothing behind in the model training then starts from.
 */
@Training
class LrFinderTest {
    static final int INPUT = 24;
    static final int STEPS = 30;
    /**
     * How far the smoothed loss may rise over its best at the valley, and must at 100x. fastai's
     * range test stops at 4x; this small case peaks at 3.99x with one PyTorch thread and 4.40x with
     * two (the thread count changes the arithmetic), so the test does not sit on that edge: the
     * valley stays near its best (1.10x), 100x the valley shoots far past it.
     */
    static final double VALLEY_RISE = 1.5;
    static final double HUNDRED_TIMES_RISE = 3;

    static TrainingConfig config() {
        return new TrainingConfig("res", ModelSource.builtIn("resnet18"), Targets.folderLabel(3), 3, 1e-3, 100, 16, 1, Schedule.ONE_CYCLE, 0,
                OptimizerKind.ADAMW, 0.01, INPUT, Normalization.IMAGENET, 5, null);
    }

    @Test
    void theValleyReducesTheLossAndAHundredTimesItShootsTheLossUp() throws IOException {
        TinyPaddy.LabelledItems data = TinyPaddy.exampleItems(3, 40, new ItemTransform(ItemTransform.Resize.SQUISH, 28));
        int[] train = IntStream.range(0, data.labels().length).toArray();
        TrainingConfig config = config();
        float[] initial = initialWeights(config);
        LrFinder.Result found = new LrFinder(2, Device.cpu()).run(config, data.items(), new int[][] {data.labels()}, train,
                LrRangeTest.fastai(), step -> { });
        assertArrayEquals(initial, initialWeights(config), "the trial leaves the starting weights as they were");
        double valley = found.suggestions().stream().filter(s -> s.method() == LrSuggestions.Method.VALLEY)
                .findFirst().orElseThrow().lr();

        double[] atValley = constantLr(config, data, train, valley);
        double[] atHundredTimes = constantLr(config, data, train, 100 * valley);
        System.out.printf(Locale.ROOT, "lr finder %d steps (%s), valley %.3g; smoothed loss over %d steps at the valley"
                        + " %.3f -> %.3f (worst %.2fx its best so far), at 100x %.3f -> %.3f (worst %.2fx)%n",
                found.lrs().size(), found.state(), valley, STEPS, atValley[0], atValley[1], atValley[2],
                atHundredTimes[0], atHundredTimes[1], atHundredTimes[2]);
        assertTrue(atValley[1] < 0.8 * atValley[0], "at the valley the loss falls");
        assertTrue(atValley[2] < VALLEY_RISE, "at the valley the smoothed loss never rises past 1.5x its best");
        assertTrue(Double.isNaN(atHundredTimes[1]) || atHundredTimes[2] > HUNDRED_TIMES_RISE && atHundredTimes[1] > atValley[1],
                "at 100x the valley the smoothed loss shoots past 3x its best and ends above the valley's");
    }

    private static float[] initialWeights(TrainingConfig config) {
        try (Learner learner = Learner.of(config.model()).classes(3).inputSize(INPUT).optimizer(config
                .optimizer(), config.weightDecay()).seed(config.seed()).device(Device.cpu()).build()) {
            return learner.parameterValues().values().stream().reduce(new float[0], LrFinderTest::concat);
        }
    }

    /**
     * {@link #STEPS} steps at a constant lr: the smoothed loss (fastai's) after the first 5 steps,
     * at the end, and the largest ratio of the smoothed loss to its best so far.
     */
    private static double[] constantLr(TrainingConfig config, TinyPaddy.LabelledItems data, int[] train, double lr)
            throws IOException {
        SmoothLoss smooth = new SmoothLoss(SmoothLoss.FASTAI_BETA);
        double[] earlyBestWorst = {Double.NaN, Double.POSITIVE_INFINITY, 0};
        try (Learner learner = Learner.of(config.model()).classes(3).inputSize(INPUT).optimizer(config
                .optimizer(), config.weightDecay()).seed(config.seed()).device(Device.cpu()).build();
             BatchLoader loader = new BatchLoader(data.items(), new int[][] {data.labels()}, INPUT, Augmentation.fastaiDefaults(),
                     Normalization.IMAGENET, config.seed(), 2, 4)) {
            FitHook constant = new FitHook() {
                private int steps;

                @Override
                public void beforeStep(int epoch, int window) {
                    learner.optimizer().set(lr, LrFinder.MOMENTUM);
                }

                @Override
                public void afterStep(int epoch, int window, double loss, int seen) {
                    double value = smooth.add(loss);
                    earlyBestWorst[1] = Math.min(earlyBestWorst[1], value);
                    earlyBestWorst[2] = Double.isNaN(value) ? Double.POSITIVE_INFINITY
                            : Math.max(earlyBestWorst[2], value / earlyBestWorst[1]);
                    if (++steps == 5) {
                        earlyBestWorst[0] = smooth.value();
                    }
                }

                @Override
                public boolean stopsFit() {
                    return steps >= STEPS;
                }
            };
            new FitLoop(learner, loader, epoch -> Windows.of(EpochSeed.shuffled(train, config.seed(), epoch), 16, 16),
                    List.of(constant)).run(0, Integer.MAX_VALUE);
        }
        return new double[] {earlyBestWorst[0], smooth.value(), earlyBestWorst[2]};
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
