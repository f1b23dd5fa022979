package dev.paddy.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.XavierInitializer;

/**
 * The fresh heads put on a TorchScript body. Each starts with a pooling step that pools only a
 * feature map (rank 4) and passes a feature vector through, so the same head loads a parameter
 * file whatever the body's output turned out to be.
 */
final class Heads {
    private Heads() {}

    /** @param kind {@link ModelSource#FASTAI_HEAD} or {@link ModelSource#LINEAR_HEAD} */
    static SequentialBlock build(String kind, int classes) {
        return switch (kind) {
            case ModelSource.FASTAI_HEAD -> fastai(classes);
            case ModelSource.LINEAR_HEAD -> linear(classes);
            default -> throw new IllegalArgumentException("unknown head '" + kind + "'");
        };
    }

    /**
     * fastai's {@code create_head(nf, n_out)}: concat pooling (max then average), then
     * {@code BatchNorm1d -> Dropout 0.25 -> Linear(nf, 512, bias=False) -> ReLU -> BatchNorm1d
     * -> Dropout 0.5 -> Linear(512, n_out, bias=False)}; BatchNorm biases start at 1e-3 (fastai's
     * {@code BatchNorm}), linear weights kaiming-normal (fastai's {@code apply_init}).
     */
    private static SequentialBlock fastai(int classes) {
        SequentialBlock head = new SequentialBlock()
                .add(new LambdaBlock(Heads::concatPoolIfSpatial, "concat_pool"))
                .add(batchNorm())
                .add(Dropout.builder().optRate(0.25f).build())
                .add(Linear.builder().setUnits(512).optBias(false).build())
                .add(Activation.reluBlock())
                .add(batchNorm())
                .add(Dropout.builder().optRate(0.5f).build())
                .add(Linear.builder().setUnits(classes).optBias(false).build());
        head.setInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
                XavierInitializer.FactorType.IN, 2), Parameter.Type.WEIGHT);
        head.setInitializer(new ConstantInitializer(1e-3f), Parameter.Type.BETA);
        return head;
    }

    /** One linear layer (with bias) after average pooling, kaiming-normal like fastai's head. */
    private static SequentialBlock linear(int classes) {
        SequentialBlock head = new SequentialBlock()
                .add(new LambdaBlock(Heads::averagePoolIfSpatial, "average_pool"))
                .add(Linear.builder().setUnits(classes).build());
        head.setInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
                XavierInitializer.FactorType.IN, 2), Parameter.Type.WEIGHT);
        return head;
    }

    private static Block batchNorm() {
        return BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build();
    }

    /** fastai's AdaptiveConcatPool2d + Flatten on a feature map: [max, mean] over h x w. */
    private static NDList concatPoolIfSpatial(NDList in) {
        NDArray x = in.singletonOrThrow();
        if (x.getShape().dimension() != 4) {
            return new NDList(x);
        }
        long n = x.getShape().get(0);
        long c = x.getShape().get(1);
        return new NDList(Pool.globalMaxPool2d(x).reshape(n, c).concat(Pool.globalAvgPool2d(x).reshape(n, c), 1));
    }

    private static NDList averagePoolIfSpatial(NDList in) {
        NDArray x = in.singletonOrThrow();
        return new NDList(x.getShape().dimension() == 4
                ? Pool.globalAvgPool2d(x).reshape(x.getShape().get(0), x.getShape().get(1)) : x);
    }
}
