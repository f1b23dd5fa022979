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
 * without its loop and callbacks, which are {@link FitLoop} and its {@link FitHook}s.
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
    private final BatchTensors tensors;

    /** A learner of {@code source}'s model: {@code Learner.of(source).classes(10).inputSize(64).device(d).build()}. */
    public static Builder of(ModelSource source) {
        return new Builder(source);
    }

    /**
     * What a learner is built from. Classes, input size and device are required; the optimizer
     * (AdamW, no weight decay), seed (0) and weights (none: fresh) have defaults that suit a
     * learner that only predicts or only checks that a file loads.
     */
    public static final class Builder {
        private final ModelSource source;
        private int[] classes;
        private int inputSize;
        private OptimizerKind optimizer = OptimizerKind.ADAMW;
        private double weightDecay;
        private long seed;
        private Device device;
        private Path weights;

        private Builder(ModelSource source) {
            this.source = source;
        }

        /** Each target's number of classes, the folder label's first: one head, a slice of outputs per target. */
        public Builder classes(int... targetClasses) {
            this.classes = targetClasses.clone();
            return this;
        }

        public Builder inputSize(int inputSize) {
            this.inputSize = inputSize;
            return this;
        }

        public Builder optimizer(OptimizerKind kind, double weightDecay) {
            this.optimizer = kind;
            this.weightDecay = weightDecay;
            return this;
        }

        /** The seed of the fresh parameters (PyTorch's generator): the same seed, the same initial weights. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder device(Device device) {
            this.device = device;
            return this;
        }

        /**
         * A parameter file written by {@link #save} to start from (null: fresh parameters), loaded
         * before the trainer exists: DJL's parameter store keeps the arrays it first sees. For a
         * TorchScript body the file holds the whole fine-tuned module.
         */
        public Builder weights(Path weights) {
            this.weights = weights;
            return this;
        }

        public Learner build() {
            if (classes == null || inputSize <= 0 || device == null) {
                throw new IllegalStateException("a learner needs classes, an input size and a device");
            }
            return new Learner(this);
        }
    }

    private Learner(Builder b) {
        Engines.pytorch();
        this.source = b.source;
        this.slices = b.classes.clone();
        int classes = Arrays.stream(slices).sum();
        this.inputSize = b.inputSize;
        this.tensors = new BatchTensors(b.inputSize);
        Engine.getEngine("PyTorch").setRandomSeed((int) (b.seed ^ (b.seed >>> 32)));
        this.model = Model.newInstance(source.arch(), b.device, "PyTorch");
        Shape input = new Shape(1, 3, inputSize, inputSize);
        if (b.weights == null) {
            block = source.build(classes, model.getNDManager(), inputSize);
            model.setBlock(block);
        } else {
            block = source.structure(classes, model.getNDManager());
            model.setBlock(block);
            if (!source.pretrainedBody()) {
                block.initialize(model.getNDManager(), DataType.FLOAT32, input);
            }
            load(b.weights);
        }
        this.optimizer = new ScheduledOptimizer(b.optimizer, b.weightDecay);
        DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                .optOptimizer(optimizer)
                .optDevices(new Device[] {b.device});
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

    /** Seeds the engine's generator for one epoch ({@link EpochSeed}): the dropout masks it draws follow from it. */
    public void reseed(long seed, int epoch) {
        Engine.getEngine("PyTorch").setRandomSeed(new java.util.SplittableRandom(EpochSeed.of(seed, epoch)).nextInt());
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
                    windowLoss += backward(collector, tensors.pixels(scope, micro),
                            tensors.labels(scope, micro, slices.length), micro.size(), windowSize);
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
                NDArray logits = trainer.evaluate(new NDList(tensors.pixels(scope, batch))).singletonOrThrow();
                NDList labels = tensors.labels(scope, batch, slices.length);
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
        List<Double> errorRates = new ArrayList<>();
        for (long targetErrors : errors) {
            errorRates.add(count == 0 ? Double.NaN : (double) targetErrors / count);
        }
        return new Evaluation(count == 0 ? Double.NaN : lossSum / count, errorRates);
    }

    /** Each target's softmax probabilities (over its slice) for each image, in order: [target][image][class]. */
    public float[][][] predict(Iterator<Batch> batches, int total) {
        float[][][] probabilities = new float[slices.length][total][];
        int next = 0;
        while (batches.hasNext()) {
            Batch batch = batches.next();
            try (NDManager scope = model.getNDManager().newSubManager()) {
                float[][][] batchProbabilities = probabilities(tensors.pixels(scope, batch));
                for (int t = 0; t < slices.length; t++) {
                    System.arraycopy(batchProbabilities[t], 0, probabilities[t], next, batch.size());
                }
                next += batch.size();
            }
        }
        return probabilities;
    }

    /**
     * Each target's softmax probabilities for a batch of pixels already resized and normalised
     * (N x 3 x size x size): [target][image][class]. What {@link #predict} computes per batch.
     */
    private float[][][] probabilities(NDArray pixels) {
        int n = (int) pixels.getShape().get(0);
        float[][][] probabilities = new float[slices.length][n][];
        NDArray logits = trainer.evaluate(new NDList(pixels)).singletonOrThrow();
        for (int t = 0; t < slices.length; t++) {
            float[] flat = slice(logits, t).softmax(1).toFloatArray();
            int classes = flat.length / n;
            for (int i = 0; i < n; i++) {
                probabilities[t][i] = Arrays.copyOfRange(flat, i * classes, (i + 1) * classes);
            }
        }
        return probabilities;
    }

    /** @param errorRates each target's error rate, the folder label's first */
    public record Evaluation(double loss, List<Double> errorRates) {
        /** The folder label's error rate. */
        public double errorRate() {
            return errorRates.get(0);
        }
    }

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

    /** The model's block with its trained values, body then head (for an export that reads it, not changes it). */
    public SequentialBlock block() {
        return block;
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

    @Override
    public void close() {
        trainer.close();
        model.close();
    }
}
