package dev.paddy.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dev.paddy.data.BatchLoader.Batch;
import dev.paddy.engine.Engines;
import dev.paddy.model.ModelSource;
import dev.paddy.model.ParameterGroups;
import dev.paddy.model.TorchScriptBody;
import dev.paddy.train.OptimizerKind;
import dev.paddy.train.ScheduledOptimizer;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's anchor: the compute a training step or a prediction costs with no data pipeline
 * at all, on tensors already in memory, written with DJL directly. It is built as paddy's
 * {@code Learner} builds its model (same architecture, seed, optimizer, loss and trainer) and its
 * step is the same: a gradient collector across the micro-batches, each mean loss scaled by its
 * share of the window, then one optimizer step. A TorchScript body is loaded and settled as the
 * learner does (so BatchNorm trains, as it does in paddy's loop) and its parameters are split into
 * the same groups, with the same parameters exempt from weight decay: the optimizer does the same
 * work per step.
 */
final class PureCompute implements AutoCloseable {
    private final int inputSize;
    private final Model model;
    private final Trainer trainer;
    private final ScheduledOptimizer optimizer;
    private final Loss loss = Loss.softmaxCrossEntropyLoss();

    PureCompute(ModelSource source, int classes, int inputSize, OptimizerKind optimizerKind, double weightDecay,
                long seed, Device device) {
        Engines.pytorch();
        this.inputSize = inputSize;
        Engine.getEngine("PyTorch").setRandomSeed((int) (seed ^ (seed >>> 32)));
        this.model = Model.newInstance(source.arch() + "-pure-compute", device, "PyTorch");
        SequentialBlock block = source.build(classes, model.getNDManager(), inputSize);
        model.setBlock(block);
        this.optimizer = new ScheduledOptimizer(optimizerKind, weightDecay);
        DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                .optOptimizer(optimizer)
                .optDevices(new Device[] {device});
        this.trainer = model.newTrainer(config);
        trainer.initialize(new Shape(1, 3, inputSize, inputSize));
        if (source.pretrainedBody()) {
            TorchScriptBody.settle(ParameterGroups.child(block, 0), model.getNDManager(), inputSize);
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

    ScheduledOptimizer optimizer() {
        return optimizer;
    }

    /**
     * The batch's pixels as a tensor PyTorch owns (a copy of a direct buffer, as the learner
     * makes), kept by the model's manager until {@link #close}; the batch's buffer goes back to
     * its pool.
     */
    NDArray input(Batch batch) {
        int floats = batch.size() * 3 * inputSize * inputSize;
        ByteBuffer buffer = ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder());
        buffer.asFloatBuffer().put(batch.pixels(), 0, floats);
        batch.release();
        NDManager manager = model.getNDManager();
        try (NDArray shared = manager.create(buffer, new Shape(batch.size(), 3, inputSize, inputSize), DataType.FLOAT32)) {
            return shared.duplicate();
        }
    }

    /** The batch's labels as an INT64 tensor, kept by the model's manager until {@link #close}. */
    NDArray labels(Batch batch) {
        long[] labels = new long[batch.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = batch.labels(0)[i];
        }
        return model.getNDManager().create(labels).toType(DataType.INT64, false);
    }

    /**
     * One optimizer step over the micro-batches {@code data} (with {@code labels}) whose sizes add
     * up to {@code windowSize}: each mean loss is scaled by its share of the window before
     * backward, the gradients add up, then the optimizer steps once.
     *
     * @return the window's mean loss
     */
    double accumulateAndStep(List<NDArray> data, List<NDArray> labels, int windowSize) {
        double windowLoss = 0;
        try (GradientCollector collector = trainer.newGradientCollector()) {
            for (int i = 0; i < data.size(); i++) {
                // Results attach to their first operand's manager: a copy in this scope frees them
                // with it (the originals live in the model's manager, which would keep every
                // intermediate of every step until the end).
                try (NDManager scope = model.getNDManager().newSubManager()) {
                    NDArray input = data.get(i).duplicate();
                    input.attach(scope);
                    NDArray target = labels.get(i).duplicate();
                    target.attach(scope);
                    NDArray meanLoss = loss.evaluate(new NDList(target), trainer.forward(new NDList(input)));
                    float share = (float) input.getShape().get(0) / windowSize;
                    collector.backward(meanLoss.mul(share));
                    windowLoss += meanLoss.getFloat() * share;
                }
            }
        }
        trainer.step();
        return windowLoss;
    }

    /** A forward pass without gradients (BatchNorm in inference mode): softmax probabilities, copied out. */
    float[] forward(NDArray data) {
        try (NDManager scope = model.getNDManager().newSubManager()) {
            NDArray input = data.duplicate();
            input.attach(scope);
            return trainer.evaluate(new NDList(input)).singletonOrThrow().softmax(1).toFloatArray();
        }
    }

    @Override
    public void close() {
        trainer.close();
        model.close();
    }
}
