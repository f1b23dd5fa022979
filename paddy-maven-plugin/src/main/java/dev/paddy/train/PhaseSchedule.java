package dev.paddy.train;

import java.util.ArrayList;
import java.util.List;

/**
 * The schedule as a {@link FitHook}: before each step, the learning rate of every parameter group
 * and the momentum from its phase's one-cycle policies; as a {@code fine_tune} phase starts, the
 * body frozen or unfrozen and the optimizer's state started afresh (fastai's {@code freeze()} and
 * a new {@code fit_one_cycle}). A training resumed inside a phase sets the body's state of that
 * phase and keeps the optimizer's restored state.
 */
public final class PhaseSchedule implements FitHook {
    /**
     * One phase: its epochs, its policies, and whether it freezes the body (null: the body is left
     * as it is and the optimizer's state runs on, as in a plain one-cycle fit).
     */
    record Phase(int start, int epochs, GroupCycles cycles, Boolean frozen) {
        boolean holds(int epoch) {
            return epoch >= start && epoch < start + epochs;
        }
    }

    private final Learner learner;
    private final List<Phase> phases;
    private final int stepsPerEpoch;
    private final int firstEpochRun;

    private PhaseSchedule(Learner learner, List<Phase> phases, int stepsPerEpoch, int firstEpochRun) {
        this.learner = learner;
        this.phases = List.copyOf(phases);
        this.stepsPerEpoch = stepsPerEpoch;
        this.firstEpochRun = firstEpochRun;
    }

    /** A member's schedule ({@link TrainingConfig#phases}), for a fit that starts at epoch {@code fromEpoch}. */
    static PhaseSchedule of(Learner learner, TrainingConfig config, int trainImages, int fromEpoch) {
        List<Phase> phases = new ArrayList<>();
        int start = 0;
        for (TrainingConfig.Phase phase : config.phases()) {
            phases.add(new Phase(start, phase.epochs(), config.cycles(phase, trainImages),
                    config.schedule() == Schedule.FINE_TUNE ? phase.frozen() : null));
            start += phase.epochs();
        }
        return new PhaseSchedule(learner, phases, Windows.stepsPerEpoch(trainImages, config.batchSize()), fromEpoch);
    }

    /** One policy from epoch {@code start} on, {@code stepsPerEpoch} steps an epoch, the body left as it is. */
    public static PhaseSchedule oneCycle(Learner learner, GroupCycles cycles, int stepsPerEpoch, int start) {
        return new PhaseSchedule(learner, List.of(new Phase(start, Integer.MAX_VALUE - start, cycles, null)),
                stepsPerEpoch, start);
    }

    @Override
    public void beforeEpoch(int epoch) {
        Phase phase = phase(epoch);
        if (phase.frozen() != null && (epoch == phase.start() || epoch == firstEpochRun)) {
            learner.freezeBody(phase.frozen());
            if (epoch == phase.start()) {
                learner.optimizer().clearState();
            }
        }
    }

    @Override
    public void beforeStep(int epoch, int window) {
        Phase phase = phase(epoch);
        int step = (epoch - phase.start()) * stepsPerEpoch + window;
        learner.optimizer().set(phase.cycles().lrs(step), phase.cycles().momentum(step));
    }

    private Phase phase(int epoch) {
        return phases.stream().filter(p -> p.holds(epoch)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("epoch " + epoch + " is in no phase of " + phases));
    }
}
