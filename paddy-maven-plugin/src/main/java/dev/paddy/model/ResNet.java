package dev.paddy.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import java.util.List;

/** ResNet v1.5 as in torchvision (7x7 stem, stride in the 3x3 conv of bottlenecks). */
final class ResNet {
    private ResNet() {}

    static Block build(int[] blocksPerStage, boolean bottleneck, int classes) {
        SequentialBlock body = new SequentialBlock()
                .add(conv(64, 7, 2))
                .add(batchNorm())
                .add(Activation.reluBlock())
                .add(stemPool());
        int expansion = bottleneck ? 4 : 1;
        for (int stage = 0; stage < blocksPerStage.length; stage++) {
            int width = 64 << stage;
            for (int i = 0; i < blocksPerStage[stage]; i++) {
                int stride = stage > 0 && i == 0 ? 2 : 1;
                boolean project = i == 0 && (stride != 1 || expansion != 1);
                body.add(bottleneck ? bottleneckUnit(width, stride, project) : basicUnit(width, stride, project));
            }
        }
        SequentialBlock head = new SequentialBlock()
                .add(Pool.globalAvgPool2dBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(classes).build());
        return new SequentialBlock().add(body).add(head);
    }

    /** The stem's 3x3 max pooling of stride 2 and padding 1, named so an export can tell what it does. */
    static final String STEM_POOL = "max_pool_3x3_stride2_pad1";

    private static Block stemPool() {
        return new LambdaBlock(x -> new NDList(Pool.maxPool2d(x.singletonOrThrow(), new Shape(3, 3), new Shape(2, 2),
                new Shape(1, 1), false)), STEM_POOL);
    }

    private static Block basicUnit(int width, int stride, boolean project) {
        SequentialBlock residual = new SequentialBlock()
                .add(conv(width, 3, stride)).add(batchNorm()).add(Activation.reluBlock())
                .add(conv(width, 3, 1)).add(batchNorm());
        return withShortcut(residual, project ? projection(width, stride) : Blocks.identityBlock());
    }

    private static Block bottleneckUnit(int width, int stride, boolean project) {
        SequentialBlock residual = new SequentialBlock()
                .add(conv(width, 1, 1)).add(batchNorm()).add(Activation.reluBlock())
                .add(conv(width, 3, stride)).add(batchNorm()).add(Activation.reluBlock())
                .add(conv(width * 4, 1, 1)).add(batchNorm());
        return withShortcut(residual, project ? projection(width * 4, stride) : Blocks.identityBlock());
    }

    private static Block projection(int width, int stride) {
        return new SequentialBlock().add(conv(width, 1, stride)).add(batchNorm());
    }

    private static Block withShortcut(Block residual, Block shortcut) {
        return new ParallelBlock(
                outputs -> new NDList(Activation.relu(outputs.get(0).singletonOrThrow().add(outputs.get(1).singletonOrThrow()))),
                List.of(residual, shortcut));
    }

    private static Block conv(int filters, int kernel, int stride) {
        return Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(kernel / 2, kernel / 2))
                .optBias(false)
                .build();
    }

    private static Block batchNorm() {
        return BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build();
    }
}
