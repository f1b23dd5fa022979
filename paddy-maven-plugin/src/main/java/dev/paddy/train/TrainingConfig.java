package dev.paddy.train;

import dev.paddy.data.Normalization;
import dev.paddy.model.ModelSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Everything that determines one member's training, in plain values: the model and its outputs,
 * the schedule, the effective batch cut into {@code accum} micro-batches, the optimizer, the input
 * size, the seed of its weights, data order and augmentation, and optionally the parameters it
 * starts from.
 *
 * @param lrMult fine_tune's ratio of the head's learning rate to the first group's once unfrozen
 * @param targets the folder label, then any more targets: the head's slices
 * @param initialWeights a parameter file to start from, or null
 */
public record TrainingConfig(String name, ModelSource model, Targets targets, int epochs, double lr, double lrMult,
                             int batchSize, int accum, Schedule schedule, int freezeEpochs, OptimizerKind optimizer,
                             double weightDecay, int inputSize, Normalization normalization, long seed,
                             Path initialWeights) {

    /** Images per forward/backward pass. */
    public int microBatchSize() {
        return batchSize / accum;
    }

    /**
     * One phase of a schedule: epochs at a one-cycle policy whose peak learning rate is
     * {@code lrs[g]} for parameter group {@code g}, with the body frozen or not.
     */
    record Phase(String name, int epochs, double[] lrs, double pctStart, double div, boolean frozen) {}

    /**
     * The schedule as phases, as fastai 2.7's {@code fine_tune}: frozen, {@code fit_one_cycle(
     * freeze_epochs, slice(lr), pct_start=0.99)}; then unfrozen at half the rate,
     * {@code fit_one_cycle(epochs, slice(lr/2/lr_mult, lr/2), pct_start=0.3, div=5)}. Or one
     * cycle at {@code lr} for every group.
     */
    List<Phase> phases() {
        int groups = model.groupCount();
        if (schedule == Schedule.FINE_TUNE) {
            List<Phase> phases = new ArrayList<>();
            if (freezeEpochs > 0) {
                phases.add(new Phase("frozen", freezeEpochs, sliceUpTo(lr, groups), 0.99, 25, true));
            }
            double base = lr / 2;
            phases.add(new Phase("unfrozen", epochs, evenMults(base / lrMult, base, groups), 0.3, 5, false));
            return phases;
        }
        double[] same = new double[groups];
        Arrays.fill(same, lr);
        return List.of(new Phase("one_cycle", epochs, same, 0.25, 25, false));
    }

    /** fastai's {@code slice(lr)}: every group at lr/10 but the last, at lr. */
    static double[] sliceUpTo(double lr, int groups) {
        double[] lrs = new double[groups];
        Arrays.fill(lrs, lr / 10);
        lrs[groups - 1] = lr;
        return lrs;
    }

    /** fastai's {@code even_mults(start, stop, n)}: a geometric range from start to stop. */
    static double[] evenMults(double start, double stop, int groups) {
        if (groups == 1) {
            return new double[] {stop};
        }
        double step = Math.pow(stop / start, 1.0 / (groups - 1));
        double[] lrs = new double[groups];
        for (int i = 0; i < groups; i++) {
            lrs[i] = start * Math.pow(step, i);
        }
        return lrs;
    }

    int totalEpochs() {
        return phases().stream().mapToInt(Phase::epochs).sum();
    }

    /** A phase's one-cycle policies over its optimizer steps, with {@code trainImages} images an epoch. */
    GroupCycles cycles(Phase phase, int trainImages) {
        int steps = Windows.stepsPerEpoch(trainImages, batchSize) * phase.epochs();
        return new GroupCycles(Arrays.stream(phase.lrs())
                .mapToObj(peak -> OneCycle.fastai(peak, steps).withPctStart(phase.pctStart()).withDiv(phase.div()))
                .toList());
    }

    /** The learning rate of each parameter group and the momentum of one optimizer step (0-based over the whole training). */
    public record StepSetting(int step, List<Double> lrs, double momentum) {}

    /**
     * Every optimizer step's learning rates and momentum over the whole training, in order: a
     * function of the configuration, so a resumed training has all of it too.
     */
    public List<StepSetting> schedule(int trainImages) {
        List<StepSetting> steps = new ArrayList<>();
        int perEpoch = Windows.stepsPerEpoch(trainImages, batchSize);
        for (Phase phase : phases()) {
            GroupCycles cycles = cycles(phase, trainImages);
            for (int step = 0; step < perEpoch * phase.epochs(); step++) {
                steps.add(new StepSetting(steps.size(), Arrays.stream(cycles.lrs(step)).boxed().toList(),
                        cycles.momentum(step)));
            }
        }
        return steps;
    }
}
