package dev.paddy.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.optimizer.Optimizer;
import dev.paddy.manifest.TrainingSpec.OptimizerKind;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * AdamW or SGD whose learning rate and momentum are set by the training loop before each step
 * (DJL's trackers schedule the learning rate only). The update itself is the engine's fused
 * kernel, which also zeroes the gradient afterwards.
 *
 * <p>AdamW follows fastai's defaults: beta2 0.99, eps 1e-5, decoupled weight decay; bias
 * correction uses the current beta1, as fastai's {@code debias} does.
 */
public final class ScheduledOptimizer extends Optimizer {
    private final OptimizerKind kind;
    private final float beta2 = 0.99f;
    private final float epsilon = 1e-5f;
    private final Map<String, Map<String, NDArray>> state = new ConcurrentHashMap<>();
    private final Map<String, Integer> steps = new ConcurrentHashMap<>();
    private volatile float lr;
    private volatile float momentum;

    public ScheduledOptimizer(OptimizerKind kind, double weightDecay) {
        super(new Builder().optWeightDecays((float) weightDecay));
        this.kind = kind;
    }

    public void set(double learningRate, double mom) {
        this.lr = (float) learningRate;
        this.momentum = (float) mom;
    }

    public float learningRate() {
        return lr;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        int t = steps.merge(parameterId, 1, Integer::sum);
        var ex = weight.getNDArrayInternal();
        if (kind == OptimizerKind.ADAMW) {
            NDArray mean = withDefaultState(state, "mean", parameterId, weight);
            NDArray variance = withDefaultState(state, "variance", parameterId, weight);
            double coef1 = 1.0 - Math.pow(momentum, t);
            double coef2 = 1.0 - Math.pow(beta2, t);
            float corrected = (float) (lr * Math.sqrt(coef2) / coef1);
            ex.adamUpdate(new NDList(weight, grad, mean, variance), new NDList(weight), lr, corrected,
                    getWeightDecay(), rescaleGrad, clipGrad, momentum, beta2, epsilon, true, true);
        } else {
            NDArray velocity = withDefaultState(state, "velocity", parameterId, weight);
            ex.sgdUpdate(new NDList(weight, grad, velocity), new NDList(weight), lr, getWeightDecay(),
                    rescaleGrad, clipGrad, momentum, true);
        }
    }

    private static NDArray withDefaultState(Map<String, Map<String, NDArray>> state, String slot, String id, NDArray weight) {
        return state.computeIfAbsent(slot, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(id, k -> {
                    NDArray zeros = weight.zerosLike();
                    zeros.detach();
                    return zeros;
                });
    }

    /**
     * Writes the optimizer state (moments and step counts per parameter) one array at a time, so
     * a checkpoint costs no copy of the state in native memory.
     */
    public void writeState(DataOutputStream out) throws IOException {
        Map<String, NDArray> sorted = new TreeMap<>();
        state.forEach((slot, arrays) -> arrays.forEach((id, array) -> sorted.put(slot + "/" + id, array)));
        out.writeInt(sorted.size());
        for (Map.Entry<String, NDArray> entry : sorted.entrySet()) {
            String id = entry.getKey().substring(entry.getKey().indexOf('/') + 1);
            out.writeUTF(entry.getKey());
            out.writeInt(steps.getOrDefault(id, 0));
            byte[] encoded = entry.getValue().encode();
            out.writeInt(encoded.length);
            out.write(encoded);
        }
    }

    private static final class Builder extends OptimizerBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }
}
