package dev.paddy.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import dev.paddy.data.BatchLoader.Batch;
import dev.paddy.engine.Engines;
import dev.paddy.io.AtomicFiles;
import dev.paddy.model.ModelSource;
import dev.paddy.model.ParameterGroups;
import dev.paddy.model.TorchScriptBody;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model with its trainer and optimizer: forward, backward with gradient accumulation, one
 * optimizer step per window, evaluation and prediction. The equivalent of fastai's Learner
 * without the callbacks, which live in {@link MemberTrainer}.
 *
 * <p>With several targets the head's outputs are cut into one slice per target, and the loss is
 * the sum of each slice's cross-entropy (the multi-target model of fast.ai's course). With one
 * target every computation is the single-target one, op for op.
 */
public final class Learner implements AutoCloseable {
    private final ModelSource source;
    private final int inputSize;
    private final Model model;
    private final SequentialBlock block;
    private final Trainer trainer;
    private final ScheduledOptimizer optimizer;
    private final Loss loss = Loss.softmaxCrossEntropyLoss();
    /** Each target's number of classes: the widths of the head's slices, the first target's first. */
    private final int[] slices;
    private ByteBuffer staging;

    /**
     * Builds the model {@code source} describes with {@code classes} outputs and initialises its
     * fresh parameters from {@code seed} (PyTorch's generator), so the same seed gives the same
     * initial weights.
     */
    public Learner(ModelSource source, int classes, int inputSize, OptimizerKind optimizerKind, double weightDecay,
                   long seed, Device device) {
        this(source, classes, inputSize, optimizerKind, weightDecay, seed, device, null);
    }

    /**
     * As above, then loads {@code weights} (a parameter file written by {@link #save}) before
     * the trainer exists: DJL's parameter store keeps the arrays it first sees, so weights must
     * be in place before it is created. For a TorchScript body the file holds the whole
     * fine-tuned module, loaded into the same structure (a body without a module yet, the head).
     */
    public Learner(ModelSource source, int classes, int inputSize, OptimizerKind optimizerKind, double weightDecay,
                   long seed, Device device, Path weights) {
        this(source, new int[] {classes}, inputSize, optimizerKind, weightDecay, seed, device, weights);
    }

    /**
     * A model of several targets: one head of {@code sum(targetClasses)} outputs, a slice per
     * target; otherwise as above.
     */
    public Learner(ModelSource source, int[] targetClasses, int inputSize, OptimizerKind optimizerKind,
                   double weightDecay, long seed, Device device, Path weights) {
        Engines.pytorch();
        this.source = source;
        this.slices = targetClasses.clone();
        int classes = Arrays.stream(slices).sum();
        this.inputSize = inputSize;
        Engine.getEngine("PyTorch").setRandomSeed((int) (seed ^ (seed >>> 32)));
        this.model = Model.newInstance(source.arch(), device, "PyTorch");
        Shape input = new Shape(1, 3, inputSize, inputSize);
        if (weights == null) {
            block = source.build(classes, model.getNDManager(), inputSize);
            model.setBlock(block);
        } else {
            block = source.structure(classes, model.getNDManager());
            model.setBlock(block);
            if (!source.pretrainedBody()) {
                block.initialize(model.getNDManager(), DataType.FLOAT32, input);
            }
            load(weights);
        }
        this.optimizer = new ScheduledOptimizer(optimizerKind, weightDecay);
        DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                .optOptimizer(optimizer)
                .optDevices(new Device[] {device});
        this.trainer = model.newTrainer(config);
        trainer.initialize(input);
        if (source.pretrainedBody()) {
            TorchScriptBody.settle(body(), model.getNDManager(), inputSize);
        }
        Map<String, Integer> groups = new HashMap<>();
        List<List<Parameter>> parameterGroups = source.groups(block);
        for (int g = 0; g < parameterGroups.size(); g++) {
            for (Parameter p : parameterGroups.get(g)) {
                groups.put(p.getId(), g);
            }
        }
        optimizer.assign(groups, ParameterGroups.noDecay(block));
    }

    /**
     * A learner that only predicts, from a parameter file written by {@link #save}: the optimizer
     * settings do not matter, and the seed only initialises what the file then replaces.
     */
    public static Learner forInference(ModelSource source, int classes, int inputSize, Device device, Path weights) {
        return forInference(source, new int[] {classes}, inputSize, device, weights);
    }

    /** As above, for a model of several targets (each target's number of classes). */
    public static Learner forInference(ModelSource source, int[] targetClasses, int inputSize, Device device,
                                       Path weights) {
        return new Learner(source, targetClasses, inputSize, OptimizerKind.ADAMW, 0, 0, device, weights);
    }

    public ScheduledOptimizer optimizer() {
        return optimizer;
    }

    /** The number of parameter groups, each with its own learning rate. */
    public int groupCount() {
        return source.groupCount();
    }

    /**
     * Freezes (or unfreezes) the body's weights, leaving the head trainable, as fastai's
     * freeze(). Like fastai's {@code train_bn}, normalisation scales and shifts stay trainable;
     * running statistics never take gradients.
     */
    public void freezeBody(boolean frozen) {
        Block body = body();
        Set<String> norms = ParameterGroups.norms(body);
        body.freezeParameters(frozen, p -> {
            Parameter.Type type = p.getType();
            return type != Parameter.Type.RUNNING_MEAN && type != Parameter.Type.RUNNING_VAR && !norms.contains(p.getId());
        });
    }

    /**
     * Seeds the engine's generator for one epoch from (seed, epoch): what the model draws while
     * it trains (the dropout masks of fastai's head) then depends on the epoch, not on how many
     * epochs this process ran before, so a training resumed after epoch {@code k} draws in epoch
     * {@code k + 1} what an uninterrupted one draws there.
     */
    public void reseed(long seed, int epoch) {
        Engine.getEngine("PyTorch").setRandomSeed(new java.util.SplittableRandom(seed * 1_000_003L + epoch).nextInt());
    }

    private Block body() {
        return ParameterGroups.child(block, 0);
    }

    /**
     * One optimizer step over a window of micro-batches whose sizes add up to {@code windowSize}:
     * each micro-batch's mean loss is scaled by its share of the window before backward, the
     * gradients add up across backward calls, then the optimizer steps once (and zeroes them).
     * So the update equals one step on the whole window, exactly for per-image normalisation.
     *
     * @return the window's mean loss
     */
    public double accumulateAndStep(List<Batch> microBatches, int windowSize) {
        double windowLoss = 0;
        try (GradientCollector collector = trainer.newGradientCollector()) {
            for (Batch micro : microBatches) {
                try (NDManager scope = model.getNDManager().newSubManager()) {
                    windowLoss += backward(collector, toArray(scope, micro), labels(scope, micro), micro.size(),
                            windowSize);
                }
            }
        }
        trainer.step();
        return windowLoss;
    }

    /** Forward, loss scaled by the micro-batch's share of the window, backward; returns the scaled loss. */
    private double backward(GradientCollector collector, NDArray data, NDList labels, int size, int windowSize) {
        NDArray meanLoss = loss(labels, trainer.forward(new NDList(data)));
        float share = (float) size / windowSize;
        collector.backward(meanLoss.mul(share));
        return meanLoss.getFloat() * share;
    }

    /**
     * The mean cross-entropy of the batch; with several targets, the sum of each target's mean
     * cross-entropy over its slice of the outputs.
     */
    private NDArray loss(NDList labels, NDList logits) {
        if (slices.length == 1) {
            return loss.evaluate(labels, logits);
        }
        NDArray sum = null;
        for (int t = 0; t < slices.length; t++) {
            NDArray part = loss.evaluate(new NDList(labels.get(t)), new NDList(slice(logits.singletonOrThrow(), t)));
            sum = sum == null ? part : sum.add(part);
        }
        return sum;
    }

    /** Target {@code t}'s outputs: with a single target, all of them. */
    private NDArray slice(NDArray logits, int t) {
        if (slices.length == 1) {
            return logits;
        }
        int from = Arrays.stream(slices, 0, t).sum();
        return logits.get(new NDIndex(":, {}:{}", from, from + slices[t]));
    }

    /**
     * Mean loss and error rate over labelled batches, without gradients (BatchNorm in inference
     * mode); with several targets, the summed loss and each target's error rate.
     */
    public Evaluation evaluate(Iterator<Batch> batches) {
        double lossSum = 0;
        long[] errors = new long[slices.length];
        long count = 0;
        while (batches.hasNext()) {
            Batch batch = batches.next();
            try (NDManager scope = model.getNDManager().newSubManager()) {
                NDArray logits = trainer.evaluate(new NDList(toArray(scope, batch))).singletonOrThrow();
                NDList labels = labels(scope, batch);
                lossSum += loss(labels, new NDList(logits)).getFloat() * batch.size();
                for (int t = 0; t < slices.length; t++) {
                    long[] predicted = slice(logits, t).argMax(1).toLongArray();
                    for (int i = 0; i < batch.size(); i++) {
                        if (predicted[i] != batch.labels(t)[i]) {
                            errors[t]++;
                        }
                    }
                }
                count += batch.size();
            }
        }
        List<Double> more = new ArrayList<>();
        for (int t = 1; t < slices.length; t++) {
            more.add(count == 0 ? Double.NaN : (double) errors[t] / count);
        }
        return new Evaluation(count == 0 ? Double.NaN : lossSum / count,
                count == 0 ? Double.NaN : (double) errors[0] / count, more);
    }

    /** The first target's softmax probabilities for each image of the batches, in order: [image][class]. */
    public float[][] predict(Iterator<Batch> batches, int total) {
        return predictTargets(batches, total)[0];
    }

    /** Each target's softmax probabilities (over its slice) for each image, in order: [target][image][class]. */
    public float[][][] predictTargets(Iterator<Batch> batches, int total) {
        float[][][] probabilities = new float[slices.length][total][];
        int next = 0;
        while (batches.hasNext()) {
            Batch batch = batches.next();
            try (NDManager scope = model.getNDManager().newSubManager()) {
                NDArray logits = trainer.evaluate(new NDList(toArray(scope, batch))).singletonOrThrow();
                for (int t = 0; t < slices.length; t++) {
                    float[] flat = slice(logits, t).softmax(1).toFloatArray();
                    int classes = flat.length / batch.size();
                    for (int i = 0; i < batch.size(); i++) {
                        probabilities[t][next + i] = Arrays.copyOfRange(flat, i * classes, (i + 1) * classes);
                    }
                }
                next += batch.size();
            }
        }
        return probabilities;
    }

    /** @param moreErrorRates the error rates of the targets after the first, in order (empty for one target) */
    public record Evaluation(double loss, double errorRate, List<Double> moreErrorRates) {}

    /** All parameters, flattened in a stable order (for this package's tests). */
    List<NDArray> parameters() {
        List<NDArray> arrays = new ArrayList<>();
        for (Pair<String, Parameter> pair : model.getBlock().getParameters()) {
            arrays.add(pair.getValue().getArray());
        }
        return arrays;
    }

    /** Each parameter's values by its path in the block, in a stable order (for this package's tests). */
    Map<String, float[]> parameterValues() {
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Pair<String, Parameter> pair : model.getBlock().getParameters()) {
            values.put(pair.getKey(), pair.getValue().getArray().toFloatArray());
        }
        return values;
    }

    /** Writes the parameters atomically (temp file, then rename). */
    public void save(Path file) throws IOException {
        AtomicFiles.write(file, out -> model.getBlock().saveParameters(new DataOutputStream(out)));
    }

    /** Writes the optimizer state (moments and step counts per parameter) atomically. */
    public void saveOptimizer(Path file) throws IOException {
        AtomicFiles.write(file, out -> {
            DataOutputStream data = new DataOutputStream(out);
            optimizer.writeState(data, parameterNames());
            data.flush();
        });
    }

    /**
     * Restores the optimizer state written by {@link #saveOptimizer}, for this model's
     * parameters (a resumed training).
     */
    public void loadOptimizer(Path file) throws IOException {
        Map<String, Parameter> byName = new LinkedHashMap<>();
        for (Pair<String, Parameter> pair : model.getBlock().getParameters()) {
            byName.put(pair.getKey(), pair.getValue());
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            optimizer.readState(in, byName);
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": cannot restore the optimizer state (" + e.getMessage() + ")", e);
        }
    }

    /** Parameter id (random per process) to its path in the block (stable). */
    private Map<String, String> parameterNames() {
        Map<String, String> names = new HashMap<>();
        for (Pair<String, Parameter> pair : model.getBlock().getParameters()) {
            names.put(pair.getValue().getId(), pair.getKey());
        }
        return names;
    }

    private void load(Path file) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            model.getBlock().loadParameters(model.getNDManager(), in);
        } catch (IOException | ai.djl.MalformedModelException | RuntimeException e) {
            throw new WeightsFileException(file + ": not a parameter file of a " + source.describe() + " model with"
                    + " this number of classes (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Copies the batch into a tensor PyTorch owns, then hands its buffer back to the loader's pool.
     *
     * <p>Given a heap array, DJL allocates a fresh direct buffer for every tensor and lets the
     * tensor share it; that memory is freed only when a GC collects the buffer object, which a
     * large, quiet heap may not do for a whole epoch (measured: ~1.5 MB per micro-batch piling up,
     * over 100 MiB of resident memory by an epoch's end). So the batch goes through one staging
     * buffer owned by this learner, and the tensor is a copy the scope frees when it closes.
     */
    private NDArray toArray(NDManager scope, Batch batch) {
        int floats = batch.size() * 3 * inputSize * inputSize;
        if (staging == null || staging.capacity() < floats * Float.BYTES) {
            staging = ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder());
        }
        staging.clear();
        staging.asFloatBuffer().put(batch.pixels(), 0, floats);
        staging.limit(floats * Float.BYTES);
        batch.release();
        try (NDArray shared = scope.create(staging, new Shape(batch.size(), 3, inputSize, inputSize), DataType.FLOAT32)) {
            NDArray owned = shared.duplicate();
            owned.attach(scope);
            return owned;
        }
    }

    /** The batch's labels as tensors, one per target. */
    private NDList labels(NDManager scope, Batch batch) {
        NDList labels = new NDList(slices.length);
        for (int t = 0; t < slices.length; t++) {
            labels.add(labels(scope, batch.labels(t), batch.size()));
        }
        return labels;
    }

    private static NDArray labels(NDManager scope, int[] values, int size) {
        long[] labels = new long[size];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = values[i];
        }
        return scope.create(labels).toType(DataType.INT64, false);
    }

    @Override
    public void close() {
        trainer.close();
        model.close();
    }
}
