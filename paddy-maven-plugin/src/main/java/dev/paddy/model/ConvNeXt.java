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
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.pooling.Pool;
import java.util.List;

/**
 * ConvNeXt (Liu et al. 2022): depthwise 7x7 conv, LayerNorm over channels, inverted MLP, with a
 * patchify stem of stride 2 (not 4) because paddy's example images are small. No BatchNorm
 * anywhere, so gradient accumulation reproduces the full batch exactly.
 */
final class ConvNeXt {
    private ConvNeXt() {}

    static Block build(int[] depths, int[] dims, int classes) {
        SequentialBlock body = new SequentialBlock()
                .add(conv(dims[0], 2, 2, 0, 1))
                .add(channelNorm());
        for (int stage = 0; stage < depths.length; stage++) {
            if (stage > 0) {
                body.add(channelNorm()).add(conv(dims[stage], 2, 2, 0, 1));
            }
            for (int i = 0; i < depths[stage]; i++) {
                body.add(block(dims[stage]));
            }
        }
        SequentialBlock head = new SequentialBlock()
                .add(Pool.globalAvgPool2dBlock())
                .add(Blocks.batchFlattenBlock())
                .add(LayerNorm.builder().axis(1).build())
                .add(Linear.builder().setUnits(classes).build());
        return new SequentialBlock().add(body).add(head);
    }

    private static Block block(int dim) {
        SequentialBlock residual = new SequentialBlock()
                .add(conv(dim, 7, 1, 3, dim))
                .add(toChannelsLast())
                .add(LayerNorm.builder().axis(3).optEpsilon(1e-6f).build())
                .add(Linear.builder().setUnits(4L * dim).build())
                .add(Activation.geluBlock())
                .add(Linear.builder().setUnits(dim).build())
                .add(toChannelsFirst());
        return new ParallelBlock(
                outputs -> new NDList(outputs.get(0).singletonOrThrow().add(outputs.get(1).singletonOrThrow())),
                List.of(residual, Blocks.identityBlock()));
    }

    /** LayerNorm over the channel axis of an NCHW tensor. */
    private static Block channelNorm() {
        return new SequentialBlock()
                .add(toChannelsLast())
                .add(LayerNorm.builder().axis(3).optEpsilon(1e-6f).build())
                .add(toChannelsFirst());
    }

    private static Block toChannelsLast() {
        return new LambdaBlock(x -> new NDList(x.singletonOrThrow().transpose(0, 2, 3, 1)), "nchw_to_nhwc");
    }

    private static Block toChannelsFirst() {
        return new LambdaBlock(x -> new NDList(x.singletonOrThrow().transpose(0, 3, 1, 2)), "nhwc_to_nchw");
    }

    private static Block conv(int filters, int kernel, int stride, int padding, int groups) {
        return Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(padding, padding))
                .optGroups(groups)
                .build();
    }
}
