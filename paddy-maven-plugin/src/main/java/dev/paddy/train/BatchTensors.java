package dev.paddy.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.paddy.data.BatchLoader.Batch;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A rendered batch as the tensors a {@link Learner} feeds its model: the pixels (NCHW floats) and
 * each target's labels.
 *
 * <p>Given a heap array, DJL allocates a fresh direct buffer for every tensor and lets the tensor
 * share it; that memory is freed only when a GC collects the buffer object, which a large, quiet
 * heap may not do for a whole epoch (measured: ~1.5 MB per micro-batch piling up, over 100 MiB of
 * resident memory by an epoch's end). So the pixels go through one staging buffer owned here,
 * and the tensor is a copy the scope frees when it closes.
 */
final class BatchTensors {
    private final int inputSize;
    private ByteBuffer staging;

    BatchTensors(int inputSize) {
        this.inputSize = inputSize;
    }

    /** The batch's pixels as a tensor PyTorch owns, in {@code scope}; the batch's buffer goes back to the loader's pool. */
    NDArray pixels(NDManager scope, Batch batch) {
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

    /** The batch's labels of the first {@code targets} targets as INT64 tensors, in {@code scope}. */
    NDList labels(NDManager scope, Batch batch, int targets) {
        NDList labels = new NDList(targets);
        for (int t = 0; t < targets; t++) {
            long[] values = new long[batch.size()];
            int[] target = batch.labels(t);
            for (int i = 0; i < values.length; i++) {
                values[i] = target[i];
            }
            labels.add(scope.create(values).toType(DataType.INT64, false));
        }
        return labels;
    }
}
