package dev.paddy.manifest;

import dev.paddy.data.ItemTransform;
import dev.paddy.data.Normalization;
import dev.paddy.engine.Numerics;
import dev.paddy.train.OptimizerKind;
import dev.paddy.train.Schedule;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the training settings of {@code defaults} or of one member, each key falling back to
 * what the level above says.
 */
final class TrainingReader {
    static final Set<String> KEYS = new LinkedHashSet<>(List.of("epochs", "lr", "lr_mult", "batch_size", "schedule",
            "freeze_epochs", "optimizer", "weight_decay", "item", "input_size", "normalize", "seed", "targets", "numerics"));
    static final Set<String> ITEM_KEYS = new LinkedHashSet<>(List.of("resize", "size"));
    static final Set<String> NORMALIZE_KEYS = new LinkedHashSet<>(List.of("mean", "std"));

    private TrainingReader() {}

    static TrainingSpec read(Section s, TrainingSpec inherited) {
        int epochs = s.integer("epochs", inherited.epochs(), 1, 10_000);
        boolean lrFind = inherited.lrFind();
        double lr = inherited.lr();
        if (s.has("lr")) {
            lrFind = "find".equals(Section.scalarText(s.valueNode("lr")));
            if (!lrFind) {
                lr = s.real("lr", inherited.lr(), 0, 10, true);
            }
        }
        double lrMult = s.real("lr_mult", inherited.lrMult(), 1, 1e6, false);
        int batchSize = s.integer("batch_size", inherited.batchSize(), 1, 1 << 16);
        Schedule schedule = s.choice("schedule", Schedule.class, inherited.schedule());
        int freezeEpochs = s.integer("freeze_epochs", inherited.freezeEpochs(), 0, 10_000);
        OptimizerKind optimizer = s.choice("optimizer", OptimizerKind.class, inherited.optimizer());
        double weightDecay = s.real("weight_decay", inherited.weightDecay(), 0, 1, false);
        ItemTransform item = inherited.item();
        if (s.has("item")) {
            Section itemSection = s.section("item");
            itemSection.rejectUnknownKeys(ITEM_KEYS);
            item = new ItemTransform(
                    itemSection.choice("resize", ItemTransform.Resize.class, item.resize()),
                    itemSection.integer("size", item.size(), 8, 4096));
        }
        // input_size follows the item size unless it is set at this level or above.
        int inheritedInput = inherited.inputSize() == inherited.item().size() ? item.size() : inherited.inputSize();
        int inputSize = s.integer("input_size", inheritedInput, 8, 4096);
        if (inputSize > item.size()) {
            s.problem(s.has("input_size") ? "input_size" : "item",
                    "input_size " + inputSize + " is larger than the item size " + item.size()
                            + "; augmentation crops from the item, so make item.size at least input_size");
        }
        Normalization normalization = s.has("normalize") ? normalization(s.section("normalize"), inherited.normalization())
                : inherited.normalization();
        return new TrainingSpec(epochs, lr, lrFind, lrMult, batchSize, schedule, freezeEpochs, optimizer, weightDecay,
                item, inputSize, normalization, seed(s, inherited.seed()), targets(s, inherited.targets()),
                s.choice("numerics", Numerics.class, inherited.numerics()));
    }

    /**
     * {@code targets: [label, variety]}: the folder label first, then distinct columns of
     * {@code data.labels} (whether those exist is checked with the CSV, {@link LabelsCheck}).
     * A wrong list is reported and read as the label alone, so its columns are not reported twice.
     */
    private static List<String> targets(Section s, List<String> inherited) {
        if (!s.has("targets")) {
            return inherited;
        }
        List<String> targets = s.strings("targets");
        if (!(s.valueNode("targets") instanceof SequenceNode)) {
            return List.of(TrainingSpec.LABEL); // reported by strings()
        }
        if (targets.isEmpty() || !targets.get(0).equals(TrainingSpec.LABEL)) {
            s.problem("targets", "the first target must be '" + TrainingSpec.LABEL + "' (the folder label, which the"
                    + " submission predicts), got " + (targets.isEmpty() ? "an empty list" : "'" + targets.get(0) + "'")
                    + "; e.g. [" + TrainingSpec.LABEL + ", variety]");
            return List.of(TrainingSpec.LABEL);
        }
        if (new LinkedHashSet<>(targets).size() != targets.size()) {
            s.problem("targets", "each target may appear once, got [" + String.join(", ", targets) + "]");
            return List.of(TrainingSpec.LABEL);
        }
        return targets;
    }

    /** {@code normalize: {mean: [r, g, b], std: [r, g, b]}}, on pixels scaled to [0, 1]. */
    private static Normalization normalization(Section n, Normalization inherited) {
        n.rejectUnknownKeys(NORMALIZE_KEYS);
        n.require("mean");
        n.require("std");
        List<Double> mean = n.reals("mean", 3, 0, 1, inherited.mean());
        List<Double> std = n.reals("std", 3, 1e-6, 10, inherited.std());
        return new Normalization(mean, std);
    }

    private static SeedPolicy seed(Section s, SeedPolicy inherited) {
        if (!s.has("seed")) {
            return inherited;
        }
        String text = Section.scalarText(s.valueNode("seed"));
        if ("random".equals(text)) {
            return SeedPolicy.random();
        }
        try {
            return SeedPolicy.fixed(Long.parseLong(text == null ? "" : text));
        } catch (NumberFormatException e) {
            s.problem("seed", "expected 'random' or a whole number, got " + Section.describe(s.valueNode("seed")));
            return inherited;
        }
    }
}
