package dev.paddy.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.nn.Parameter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * AdamW or SGD whose learning rates and momentum are set by the training loop before each step
 * (DJL's trackers schedule the learning rate only). The update itself is the engine's fused
 * kernel, which also zeroes the gradient afterwards.
 *
 * <p>Parameters belong to groups ({@link #assign}), each with its own learning rate, as fastai's
 * discriminative rates; parameters named as taking no weight decay (norm layers, biases) get none.
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
    private final Map<String, Integer> groupOf = new ConcurrentHashMap<>();
    private final java.util.Set<String> noDecay = ConcurrentHashMap.newKeySet();
    private volatile float[] lrs = {0};
    private volatile float momentum;

    public ScheduledOptimizer(OptimizerKind kind, double weightDecay) {
        super(new Builder().optWeightDecays((float) weightDecay));
        this.kind = kind;
    }

    /**
     * Says which group each parameter (by id) belongs to, and which parameters take no weight
     * decay. Parameters not assigned are in group 0.
     */
    public void assign(Map<String, Integer> groups, java.util.Set<String> withoutDecay) {
        groupOf.clear();
        groupOf.putAll(groups);
        noDecay.clear();
        noDecay.addAll(withoutDecay);
    }

    /** The learning rate of each group (in group order) and the momentum for the next steps. */
    public void set(double[] groupLrs, double mom) {
        float[] next = new float[groupLrs.length];
        for (int g = 0; g < next.length; g++) {
            next[g] = (float) groupLrs[g];
        }
        this.lrs = next;
        this.momentum = (float) mom;
    }

    /** One learning rate for every group. */
    public void set(double learningRate, double mom) {
        double[] same = new double[Math.max(1, lrs.length)];
        java.util.Arrays.fill(same, learningRate);
        set(same, mom);
    }

    /** The last group's learning rate: the head's. */
    public float learningRate() {
        return lrs[lrs.length - 1];
    }

    /**
     * Forgets the moments and step counts, as fastai's {@code freeze}/{@code unfreeze} do: a
     * phase that trains other parameters starts its optimizer afresh.
     */
    public void clearState() {
        state.values().forEach(arrays -> arrays.values().forEach(NDArray::close));
        state.clear();
        steps.clear();
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        int t = steps.merge(parameterId, 1, Integer::sum);
        float[] groupLrs = lrs;
        float lr = groupLrs[Math.min(groupOf.getOrDefault(parameterId, 0), groupLrs.length - 1)];
        float wd = noDecay.contains(parameterId) ? 0f : getWeightDecay();
        var ex = weight.getNDArrayInternal();
        if (kind == OptimizerKind.ADAMW) {
            NDArray mean = withDefaultState(state, "mean", parameterId, weight);
            NDArray variance = withDefaultState(state, "variance", parameterId, weight);
            double coef1 = 1.0 - Math.pow(momentum, t);
            double coef2 = 1.0 - Math.pow(beta2, t);
            float corrected = (float) (lr * Math.sqrt(coef2) / coef1);
            ex.adamUpdate(new NDList(weight, grad, mean, variance), new NDList(weight), lr, corrected,
                    wd, rescaleGrad, clipGrad, momentum, beta2, epsilon, true, true);
        } else {
            NDArray velocity = withDefaultState(state, "velocity", parameterId, weight);
            ex.sgdUpdate(new NDList(weight, grad, velocity), new NDList(weight), lr, wd,
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

    private static final int STATE_MAGIC = 0x5041444F; // "PADO"
    private static final int STATE_VERSION = 1;

    /**
     * Writes the optimizer state (moments and step count per parameter) one array at a time, so
     * a checkpoint costs no copy of the state in native memory. Parameters are named by
     * {@code names} (id to the block's parameter path): DJL's ids are random per process, the
     * paths are what a resumed process can map back.
     */
    public void writeState(DataOutputStream out, Map<String, String> names) throws IOException {
        Map<String, NDArray> sorted = new TreeMap<>();
        state.forEach((slot, arrays) -> arrays.forEach((id, array) -> sorted.put(slot + "/" + names.get(id), array)));
        Map<String, String> idsByName = new TreeMap<>();
        names.forEach((id, name) -> idsByName.put(name, id));
        out.writeInt(STATE_MAGIC);
        out.writeInt(STATE_VERSION);
        out.writeUTF(kind.name());
        out.writeInt(sorted.size());
        for (Map.Entry<String, NDArray> entry : sorted.entrySet()) {
            String name = entry.getKey().substring(entry.getKey().indexOf('/') + 1);
            out.writeUTF(entry.getKey());
            out.writeInt(steps.getOrDefault(idsByName.get(name), 0));
            byte[] encoded = entry.getValue().encode();
            out.writeInt(encoded.length);
            out.write(encoded);
        }
    }

    /**
     * Reads what {@link #writeState} wrote, replacing this optimizer's state: {@code parameters}
     * maps each parameter path to its current weight array (whose id and device the state takes).
     *
     * @throws IOException when the stream is not an optimizer state of this kind for these parameters
     */
    public void readState(DataInputStream in, Map<String, Parameter> parameters) throws IOException {
        if (in.readInt() != STATE_MAGIC || in.readInt() != STATE_VERSION) {
            throw new IOException("not a paddy optimizer state (version " + STATE_VERSION + ")");
        }
        String stored = in.readUTF();
        if (!stored.equals(kind.name())) {
            throw new IOException("optimizer state of " + stored + ", this member uses " + kind.name());
        }
        Map<String, Map<String, NDArray>> loaded = new ConcurrentHashMap<>();
        Map<String, Integer> loadedSteps = new ConcurrentHashMap<>();
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            String slotAndName = in.readUTF();
            int slash = slotAndName.indexOf('/');
            Parameter parameter = parameters.get(slotAndName.substring(slash + 1));
            if (parameter == null) {
                throw new IOException("optimizer state for an unknown parameter " + slotAndName.substring(slash + 1));
            }
            int t = in.readInt();
            byte[] encoded = new byte[in.readInt()];
            in.readFully(encoded);
            NDArray array = parameter.getArray().getManager().decode(encoded);
            array.detach();
            loaded.computeIfAbsent(slotAndName.substring(0, slash), k -> new ConcurrentHashMap<>()).put(parameter.getId(), array);
            loadedSteps.put(parameter.getId(), t);
        }
        clearState();
        state.putAll(loaded);
        steps.putAll(loadedSteps);
    }

    private static final class Builder extends OptimizerBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }
}
