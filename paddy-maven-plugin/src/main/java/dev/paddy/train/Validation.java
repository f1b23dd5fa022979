package dev.paddy.train;

import dev.paddy.data.BatchLoader.Batch;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Validates at each epoch's end (BatchNorm in inference mode, no gradients) and adds the epoch's
 * metrics, training loss and speed included, to the member's history.
 */
final class Validation implements FitHook {
    private final Learner learner;
    private final Supplier<Iterator<Batch>> validBatches;
    private final TrainingConfig config;
    private final List<EpochMetrics> history;
    private long epochStart;

    /** @param history where each epoch's metrics are added (a resumed training's earlier ones first) */
    Validation(Learner learner, Supplier<Iterator<Batch>> validBatches, TrainingConfig config,
               List<EpochMetrics> history) {
        this.learner = learner;
        this.validBatches = validBatches;
        this.config = config;
        this.history = history;
    }

    @Override
    public void beforeEpoch(int epoch) {
        epochStart = System.nanoTime();
    }

    @Override
    public void afterEpoch(int epoch, double trainLoss, int seen) {
        double trainSeconds = (System.nanoTime() - epochStart) / 1e9;
        Learner.Evaluation valid = learner.evaluate(validBatches.get());
        double seconds = (System.nanoTime() - epochStart) / 1e9;
        history.add(new EpochMetrics(epoch + 1, phaseName(epoch), trainLoss, valid.loss(), valid.errorRate(),
                seen / trainSeconds, seconds, moreErrorRates(valid)));
    }

    private String phaseName(int epoch) {
        int start = 0;
        for (TrainingConfig.Phase phase : config.phases()) {
            if (epoch < start + phase.epochs()) {
                return phase.name();
            }
            start += phase.epochs();
        }
        throw new IllegalArgumentException("epoch " + epoch + " is past the schedule's " + start);
    }

    /** The error rates of the targets after the folder label by name, in order; null for the folder label alone. */
    private Map<String, Double> moreErrorRates(Learner.Evaluation valid) {
        Targets targets = config.targets();
        if (targets.count() == 1) {
            return null; // the record's JSON keeps its shape: no map for one target
        }
        Map<String, Double> rates = new LinkedHashMap<>();
        for (int t = 1; t < targets.count(); t++) {
            rates.put(targets.get(t).name(), valid.errorRates().get(t));
        }
        return rates;
    }
}
