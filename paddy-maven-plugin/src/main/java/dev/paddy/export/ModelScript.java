package dev.paddy.export;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.util.Pair;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A trained paddy model written as TorchScript source: the DJL block tree walked in order, each
 * block's inference-mode computation as the torch op DJL's PyTorch engine runs for it
 * ({@code Conv2d -> torch.conv2d}, {@code BatchNorm -> torch.batch_norm} with the running
 * statistics, {@code LayerNorm -> torch.layer_norm}, {@code Linear -> torch.linear}, ReLU, GELU,
 * pooling, transposes; dropout is nothing at inference), each parameter a tensor attribute. A
 * TorchScript body is called as the submodule {@code body}.
 *
 * <p>A {@link LambdaBlock} or {@link ParallelBlock} hides its function, so only the ones paddy's
 * architectures use are known, by name (lambdas) or by the architecture family (the residual join);
 * anything else is refused rather than guessed.
 */
final class ModelScript {
    static final String MODULE = "paddy_export";
    static final String CLASS = "PaddyModel";
    static final String BODY = "body";

    /** How a residual block's two branches join: ResNet's {@code relu(a + b)}, ConvNeXt's {@code a + b}. */
    enum Join { RELU_OF_SUM, SUM }

    private final Join join;
    private final List<TorchScriptArchive.Tensor> tensors = new ArrayList<>();
    private final StringBuilder lines = new StringBuilder();
    private String bodyClass;
    private int bodyOutputRank;
    private int nextVariable;

    private ModelScript(Join join) {
        this.join = join;
    }

    /** The source of a model whose computation is {@code model} then, with several targets, the first {@code keep} outputs. */
    record Script(String source, List<TorchScriptArchive.Tensor> tensors) {}

    /**
     * @param bodyClass the embedded body's TorchScript class when {@code model}'s first child is a
     *     {@link PtSymbolBlock}, else null
     * @param bodyOutputRank the rank of that body's output (2 or 4)
     * @param keep how many of the outputs to return (the first target's classes)
     * @param total how many outputs the model has
     */
    static Script of(Block model, Join join, String bodyClass, int bodyOutputRank, int keep, long total) {
        ModelScript script = new ModelScript(join);
        script.bodyClass = bodyClass;
        script.bodyOutputRank = bodyOutputRank;
        Flow out = script.emit(model, new Flow("x", 4));
        String result = out.name;
        if (keep != total) {
            result = script.assign("torch.slice(" + result + ", 1, 0, " + keep + ")");
        }
        return new Script(script.source(result), script.tensors);
    }

    /** A value in the forward function and its rank. */
    private record Flow(String name, int rank) {}

    private Flow emit(Block block, Flow in) {
        if (block instanceof SequentialBlock sequential) {
            Flow x = in;
            for (Pair<String, Block> child : sequential.getChildren()) {
                x = emit(child.getValue(), x);
            }
            return x;
        }
        if (block instanceof ParallelBlock parallel) {
            List<Flow> branches = new ArrayList<>();
            for (Pair<String, Block> child : parallel.getChildren()) {
                branches.add(emit(child.getValue(), in));
            }
            if (branches.size() != 2) {
                throw new ExportException("a parallel block of " + branches.size() + " branches: paddy exports residual blocks of two");
            }
            String sum = "torch.add(" + branches.get(0).name + ", " + branches.get(1).name + ")";
            return new Flow(assign(join == Join.RELU_OF_SUM ? "torch.relu(" + sum + ")" : sum), in.rank);
        }
        if (block instanceof PtSymbolBlock) {
            if (bodyClass == null) {
                throw new ExportException("a TorchScript block where none was expected");
            }
            return new Flow(assign("(self." + BODY + ").forward(" + in.name + ")"), bodyOutputRank);
        }
        if (block instanceof Conv2d conv) {
            String weight = tensor(conv, "weight", true);
            String bias = conv.isIncludeBias() ? "self." + tensor(conv, "bias", true) : "None";
            return new Flow(assign(String.format(Locale.ROOT, "torch.conv2d(%s, self.%s, %s, %s, %s, %s, %d)", in.name,
                    weight, bias, list(conv.getStride().getShape()), list(conv.getPadding().getShape()),
                    list(conv.getDilation().getShape()), conv.getGroups())), 4);
        }
        if (block instanceof BatchNorm norm) {
            requireAxis(norm, "axis", 1);
            String gamma = tensor(norm, "gamma", true);
            String beta = tensor(norm, "beta", true);
            String mean = tensor(norm, "runningMean", false);
            String var = tensor(norm, "runningVar", false);
            return new Flow(assign(String.format(Locale.ROOT,
                    "torch.batch_norm(%s, self.%s, self.%s, self.%s, self.%s, False, 0.10000000000000001, %s, True)",
                    in.name, gamma, beta, mean, var, epsilon(norm))), in.rank);
        }
        if (block instanceof LayerNorm norm) {
            int[] axes = (int[]) field(LayerNorm.class, norm, "axis");
            if (axes.length != 1 || axes[0] != in.rank - 1) {
                throw new ExportException("a LayerNorm over axes " + java.util.Arrays.toString(axes) + " of a rank-" + in.rank
                        + " tensor: paddy exports LayerNorm over the last axis");
            }
            String gamma = tensor(norm, "gamma", true);
            String beta = tensor(norm, "beta", true);
            long width = norm.getParameters().get("gamma").getArray().getShape().get(0);
            return new Flow(assign(String.format(Locale.ROOT, "torch.layer_norm(%s, [%d], self.%s, self.%s, %s, True)",
                    in.name, width, gamma, beta, epsilon(norm))), in.rank);
        }
        if (block instanceof Linear linear) {
            String weight = tensor(linear, "weight", true);
            boolean hasBias = linear.getDirectParameters().contains("bias");
            String bias = hasBias ? "self." + tensor(linear, "bias", true) : "None";
            return new Flow(assign("torch.linear(" + in.name + ", self." + weight + ", " + bias + ")"), in.rank);
        }
        if (block instanceof Dropout) {
            return in;
        }
        if (block instanceof LambdaBlock lambda) {
            return lambda(lambda.getName(), in);
        }
        throw new ExportException("a " + block.getClass().getSimpleName() + " block, which paddy cannot write as TorchScript");
    }

    /** The lambdas of DJL ({@code Activation}, {@code Pool}, {@code Blocks}) and of paddy's architectures, by name. */
    private Flow lambda(String name, Flow in) {
        return switch (name) {
            case "identity" -> in;
            case "ReLU" -> new Flow(assign("torch.relu(" + in.name + ")"), in.rank);
            case "GELU" -> new Flow(assign("torch.gelu(" + in.name + ")"), in.rank);
            case "max_pool_3x3_stride2_pad1" ->
                    new Flow(assign("torch.max_pool2d(" + in.name + ", [3, 3], [2, 2], [1, 1], [1, 1], False)"), 4);
            case "globalAvgPool2d" -> new Flow(assign("torch.adaptive_avg_pool2d(" + in.name + ", [1, 1])"), 4);
            case "batchFlatten" -> new Flow(assign("torch.flatten(" + in.name + ", 1)"), 2);
            case "nchw_to_nhwc" -> new Flow(assign("torch.permute(" + in.name + ", [0, 2, 3, 1])"), 4);
            case "nhwc_to_nchw" -> new Flow(assign("torch.permute(" + in.name + ", [0, 3, 1, 2])"), 4);
            case "concat_pool" -> in.rank != 4 ? in : new Flow(assign("torch.cat([torch.amax(" + in.name + ", [2, 3]), torch.mean("
                    + in.name + ", [2, 3])], 1)"), 2);
            case "average_pool" -> in.rank != 4 ? in : new Flow(assign("torch.mean(" + in.name + ", [2, 3])"), 2);
            default -> throw new ExportException("a lambda block '" + name + "', which paddy cannot write as TorchScript");
        };
    }

    private String assign(String expression) {
        String name = "x" + nextVariable++;
        lines.append("    ").append(name).append(" = ").append(expression).append('\n');
        return name;
    }

    private String tensor(Block block, String parameter, boolean isParameter) {
        Parameter p = block.getDirectParameters().get(parameter);
        if (p == null || !p.isInitialized()) {
            throw new ExportException("a " + block.getClass().getSimpleName() + " without its '" + parameter + "' values");
        }
        NDArray array = p.getArray();
        String name = "p" + tensors.size() + "_" + parameter;
        tensors.add(new TorchScriptArchive.Tensor(name, array.getShape().getShape(), array.toType(
                ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray(), isParameter));
        return name;
    }

    private String source(String result) {
        StringBuilder s = new StringBuilder();
        s.append("class ").append(CLASS).append("(Module):\n");
        s.append("  __parameters__ = ").append(quoted(TorchScriptArchive.names(tensors, true))).append('\n');
        s.append("  __buffers__ = ").append(quoted(TorchScriptArchive.names(tensors, false))).append('\n');
        s.append("  training : bool\n");
        for (TorchScriptArchive.Tensor t : tensors) {
            s.append("  ").append(t.name()).append(" : Tensor\n");
        }
        if (bodyClass != null) {
            s.append("  ").append(BODY).append(" : ").append(bodyClass).append('\n');
        }
        s.append("  def forward(self: __torch__.").append(MODULE).append('.').append(CLASS).append(",\n");
        s.append("    x: Tensor) -> Tensor:\n");
        s.append(lines);
        s.append("    return ").append(result).append('\n');
        return s.toString();
    }

    private static String quoted(List<String> names) {
        return names.isEmpty() ? "[]" : names.stream().map(n -> "\"" + n + "\", ").collect(Collectors.joining("", "[", "]"));
    }

    private static String list(long[] values) {
        return java.util.Arrays.stream(values).mapToObj(Long::toString).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String epsilon(Block norm) {
        float eps = (float) field(norm.getClass(), norm, "epsilon");
        return Double.toString(eps); // the float's value as a double, as torch takes it
    }

    private static void requireAxis(BatchNorm norm, String field, int axis) {
        if ((int) field(BatchNorm.class, norm, field) != axis) {
            throw new ExportException("a BatchNorm over an axis other than the channels");
        }
    }

    /** DJL keeps the norms' settings in fields without getters. */
    private static Object field(Class<?> type, Object target, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(target);
            } catch (NoSuchFieldException e) {
                // look in the superclass
            } catch (IllegalAccessException e) {
                throw new ExportException("cannot read " + type.getSimpleName() + "." + name + ": " + e.getMessage());
            }
        }
        throw new ExportException(type.getSimpleName() + " has no field '" + name + "' in this DJL version");
    }
}
