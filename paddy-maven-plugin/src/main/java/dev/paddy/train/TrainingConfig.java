package dev.paddy.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything that determines one member's training, in plain values: the architecture and its
 * outputs, the schedule, the effective batch cut into {@code accum} micro-batches, the optimizer,
 * the input size, the seed of its weights, data order and augmentation, and optionally the
 * parameters it starts from.
 *
 * @param initialWeights a parameter file to start from, or null
 */
public record TrainingConfig(String name, String arch, int classes, int epochs, double lr, int batchSize, int accum,
                             Schedule schedule, int freezeEpochs, OptimizerKind optimizer, double weightDecay,
                             int inputSize, long seed, Path initialWeights) {

    /** Images per forward/backward pass. */
    public int microBatchSize() {
        return batchSize / accum;
    }

    /** One phase of a schedule: epochs at a one-cycle policy, with the body frozen or not. */
    record Phase(String name, int epochs, double lr, double pctStart, double div, boolean frozen) {}

    /** The schedule as phases: fine_tune's frozen then unfrozen cycles, or one cycle. */
    List<Phase> phases() {
        if (schedule == Schedule.FINE_TUNE) {
            List<Phase> phases = new ArrayList<>();
            if (freezeEpochs > 0) {
                phases.add(new Phase("frozen", freezeEpochs, lr, 0.99, 25, true));
            }
            phases.add(new Phase("unfrozen", epochs, lr / 2, 0.3, 5, false));
            return phases;
        }
        return List.of(new Phase("one_cycle", epochs, lr, 0.25, 25, false));
    }

    int totalEpochs() {
        return phases().stream().mapToInt(Phase::epochs).sum();
    }

    /** A phase's one-cycle policy over its optimizer steps, with {@code trainImages} images an epoch. */
    OneCycle cycle(Phase phase, int trainImages) {
        return OneCycle.fastai(phase.lr(), Windows.stepsPerEpoch(trainImages, batchSize) * phase.epochs())
                .withPctStart(phase.pctStart()).withDiv(phase.div());
    }

    /** The learning rate and momentum of one optimizer step (0-based over the whole training). */
    public record StepSetting(int step, double lr, double momentum) {}

    /**
     * Every optimizer step's learning rate and momentum over the whole training, in order: a
     * function of the configuration, so a resumed training has all of it too.
     */
    public List<StepSetting> schedule(int trainImages) {
        List<StepSetting> steps = new ArrayList<>();
        int perEpoch = Windows.stepsPerEpoch(trainImages, batchSize);
        for (Phase phase : phases()) {
            OneCycle cycle = cycle(phase, trainImages);
            for (int step = 0; step < perEpoch * phase.epochs(); step++) {
                steps.add(new StepSetting(steps.size(), cycle.lr(step), cycle.momentum(step)));
            }
        }
        return steps;
    }
}
