package dev.paddy.model;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * The architectures a member may name, built in code and trained from scratch (no weights can be
 * downloaded here). Every model is a {@link SequentialBlock} of exactly two children, body then
 * head, so that {@code fine_tune} can freeze the body.
 *
 * <p>The ResNets use BatchNorm, whose statistics are per micro-batch, so gradient accumulation
 * only approximates the full batch for them. The ConvNeXt family uses LayerNorm, per image, so
 * accumulation is exact.
 */
public final class Architectures {
    private static final Map<String, IntFunction<Block>> REGISTRY = new LinkedHashMap<>();

    static {
        REGISTRY.put("resnet18", classes -> ResNet.build(new int[] {2, 2, 2, 2}, false, classes));
        REGISTRY.put("resnet34", classes -> ResNet.build(new int[] {3, 4, 6, 3}, false, classes));
        REGISTRY.put("resnet50", classes -> ResNet.build(new int[] {3, 4, 6, 3}, true, classes));
        REGISTRY.put("convnext_atto", classes -> ConvNeXt.build(new int[] {2, 2, 6, 2}, new int[] {40, 80, 160, 320}, classes));
        REGISTRY.put("convnext_femto", classes -> ConvNeXt.build(new int[] {2, 2, 6, 2}, new int[] {48, 96, 192, 384}, classes));
        REGISTRY.put("convnext_pico", classes -> ConvNeXt.build(new int[] {2, 2, 6, 2}, new int[] {64, 128, 256, 512}, classes));
        REGISTRY.put("convnext_nano", classes -> ConvNeXt.build(new int[] {2, 2, 8, 2}, new int[] {80, 160, 320, 640}, classes));
        REGISTRY.put("convnext_tiny", classes -> ConvNeXt.build(new int[] {3, 3, 9, 3}, new int[] {96, 192, 384, 768}, classes));
    }

    private Architectures() {}

    public static Set<String> names() {
        return REGISTRY.keySet();
    }

    /** A fresh, uninitialised model with {@code classes} outputs. */
    public static SequentialBlock build(String name, int classes) {
        IntFunction<Block> factory = REGISTRY.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("unknown architecture '" + name + "'; allowed: " + String.join(", ", names()));
        }
        return (SequentialBlock) factory.apply(classes);
    }

    /** The body of a model built here (everything but the classifier head). */
    public static Block body(SequentialBlock model) {
        return model.getChildren().get(0).getValue();
    }
}
