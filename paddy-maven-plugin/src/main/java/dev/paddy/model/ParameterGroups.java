package dev.paddy.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a model's parameters split into groups (one learning rate each) and which are normalisation
 * parameters or biases: those stay trainable in a frozen body (fastai's {@code train_bn}) and take
 * no weight decay (fastai's {@code wd_bn_bias=False}).
 *
 * <p>DJL's own layers type their norm parameters GAMMA/BETA and biases BIAS. A TorchScript
 * module's parameters are typed from their names only (a BatchNorm's {@code weight} is a WEIGHT),
 * so there a norm parameter is told by shape: a 1-D {@code weight} (conv and linear weights are at
 * least 2-D), or a {@code bias} beside one.
 */
public final class ParameterGroups {
    private ParameterGroups() {}

    /** Two groups: the body's parameters, the head's. */
    static List<List<Parameter>> bodyAndHead(SequentialBlock model) {
        return List.of(parameters(List.of(child(model, 0))), parameters(List.of(child(model, 1))));
    }

    /** Three groups: the body's first {@code firstChildren} children, the rest of the body, the head. */
    static List<List<Parameter>> split(SequentialBlock model, int firstChildren) {
        List<Block> body = ((SequentialBlock) child(model, 0)).getChildren().values();
        return List.of(parameters(body.subList(0, firstChildren)), parameters(body.subList(firstChildren, body.size())),
                parameters(List.of(child(model, 1))));
    }

    /** The ids of the normalisation layers' scales and shifts in {@code block}. */
    public static Set<String> norms(Block block) {
        Map<String, Parameter> byName = new HashMap<>();
        for (Pair<String, Parameter> pair : block.getParameters()) {
            byName.put(pair.getKey(), pair.getValue());
        }
        Set<String> ids = new HashSet<>();
        byName.forEach((name, p) -> {
            if (isNorm(name, p, byName)) {
                ids.add(p.getId());
            }
        });
        return ids;
    }

    /** The ids of the parameters that take no weight decay: norm scales and shifts, and biases. */
    public static Set<String> noDecay(Block block) {
        Set<String> ids = new HashSet<>(norms(block));
        for (Pair<String, Parameter> pair : block.getParameters()) {
            if (pair.getValue().getType() == Parameter.Type.BIAS) {
                ids.add(pair.getValue().getId());
            }
        }
        return ids;
    }

    private static boolean isNorm(String name, Parameter p, Map<String, Parameter> byName) {
        Parameter.Type type = p.getType();
        if (type == Parameter.Type.GAMMA || type == Parameter.Type.BETA) {
            return true;
        }
        if (name.endsWith("weight")) {
            return oneDimensional(p);
        }
        if (name.endsWith("bias")) {
            Parameter weight = byName.get(name.substring(0, name.length() - "bias".length()) + "weight");
            return weight != null && oneDimensional(weight);
        }
        return false;
    }

    private static boolean oneDimensional(Parameter p) {
        NDArray array = p.isInitialized() ? p.getArray() : null;
        return array != null && array.getShape().dimension() == 1;
    }

    /** The body (child 0) or the head (child 1) of a two-part model. */
    public static Block child(SequentialBlock model, int index) {
        return model.getChildren().get(index).getValue();
    }

    private static List<Parameter> parameters(List<Block> blocks) {
        List<Parameter> list = new ArrayList<>();
        for (Block block : blocks) {
            for (Pair<String, Parameter> pair : block.getParameters()) {
                list.add(pair.getValue());
            }
        }
        return list;
    }
}
