package dev.paddy.model;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import java.util.LinkedHashMap;
import java.util.List;
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
 *
 * <p>Discriminative learning rates see three groups, as fastai's {@code _resnet_split}: the stem
 * with the first two stages, the last two stages, the head. The ConvNeXts have four stages too and
 * split the same way (stem, stages 1-2 | downsampling and stages 3-4 | head).
 */
public final class Architectures {
    /** Parameter groups of every built-in architecture. */
    static final int GROUPS = 3;

    /** How to build one, and how many of its body's children form the first parameter group. */
    private record Arch(IntFunction<Block> factory, int firstGroupChildren) {}

    private static final Map<String, Arch> REGISTRY = new LinkedHashMap<>();

    static {
        resnet("resnet18", new int[] {2, 2, 2, 2}, false);
        resnet("resnet34", new int[] {3, 4, 6, 3}, false);
        resnet("resnet50", new int[] {3, 4, 6, 3}, true);
        convnext("convnext_atto", new int[] {2, 2, 6, 2}, new int[] {40, 80, 160, 320});
        convnext("convnext_femto", new int[] {2, 2, 6, 2}, new int[] {48, 96, 192, 384});
        convnext("convnext_pico", new int[] {2, 2, 6, 2}, new int[] {64, 128, 256, 512});
        convnext("convnext_nano", new int[] {2, 2, 8, 2}, new int[] {80, 160, 320, 640});
        convnext("convnext_tiny", new int[] {3, 3, 9, 3}, new int[] {96, 192, 384, 768});
    }

    /** A ResNet body's children: conv, norm, relu, max pool, then one per residual unit. */
    private static void resnet(String name, int[] units, boolean bottleneck) {
        REGISTRY.put(name, new Arch(classes -> ResNet.build(units, bottleneck, classes), 4 + units[0] + units[1]));
    }

    /** A ConvNeXt body's children: stem conv, norm, stage 1's blocks, then per stage norm, conv, blocks. */
    private static void convnext(String name, int[] depths, int[] dims) {
        REGISTRY.put(name, new Arch(classes -> ConvNeXt.build(depths, dims, classes), 2 + depths[0] + 2 + depths[1]));
    }

    private Architectures() {}

    public static Set<String> names() {
        return REGISTRY.keySet();
    }

    /** A fresh, uninitialised model with {@code classes} outputs. */
    public static SequentialBlock build(String name, int classes) {
        return (SequentialBlock) arch(name).factory().apply(classes);
    }

    static List<List<Parameter>> groups(String name, SequentialBlock model) {
        return ParameterGroups.split(model, arch(name).firstGroupChildren());
    }

    private static Arch arch(String name) {
        Arch arch = REGISTRY.get(name);
        if (arch == null) {
            throw new IllegalArgumentException("unknown architecture '" + name + "'; allowed: " + String.join(", ", names()));
        }
        return arch;
    }
}
