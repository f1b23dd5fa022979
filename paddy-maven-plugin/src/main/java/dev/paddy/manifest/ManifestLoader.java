package dev.paddy.manifest;

import dev.paddy.data.ImageFiles;
import dev.paddy.data.ItemTransform;
import dev.paddy.data.Normalization;
import dev.paddy.engine.Numerics;
import dev.paddy.io.OutputLayout;
import dev.paddy.io.Printable;
import dev.paddy.memory.MemoryBudget;
import dev.paddy.model.Architectures;
import dev.paddy.model.ModelSource;
import dev.paddy.model.TorchScriptBody;
import dev.paddy.train.OptimizerKind;
import dev.paddy.train.Schedule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads {@code paddy.yaml} into an immutable {@link Manifest}, validating all of it before any
 * work starts. SnakeYAML only composes the document into a node tree ({@link YamlDocument}: no
 * object is constructed from the YAML), so every value keeps its line and column for the error
 * messages.
 */
public final class ManifestLoader {
    static final Set<String> TOP_KEYS = ordered("data", "budget", "budget_margin", "defaults", "members", "tta",
            "ensemble", "submission", "parallel");
    static final Set<String> DATA_KEYS = ordered("train", "test", "sample_submission", "test_labels", "valid_pct",
            "labels");
    static final Set<String> TRAINING_KEYS = TrainingReader.KEYS;
    static final Set<String> MEMBER_KEYS;
    /** Member names become parts of file names; this leaves room for the rest of the longest one within 255 bytes. */
    static final int MAX_MEMBER_NAME = 100;
    static final Set<String> TTA_KEYS = ordered("n", "beta");
    static final Set<String> ENSEMBLE_KEYS = ordered("members");

    /** Every section's keys by its path, for the "did you mean" of a key written in the wrong place. */
    static final Map<String, Set<String>> SECTIONS = new LinkedHashMap<>();

    static {
        Set<String> member = ordered("name", "arch", "accum", "weight", "weights", "head");
        member.addAll(TRAINING_KEYS);
        MEMBER_KEYS = member;
        SECTIONS.put("", TOP_KEYS);
        SECTIONS.put("data", DATA_KEYS);
        SECTIONS.put("defaults", TRAINING_KEYS);
        SECTIONS.put("defaults.item", TrainingReader.ITEM_KEYS);
        SECTIONS.put("defaults.normalize", TrainingReader.NORMALIZE_KEYS);
        SECTIONS.put("members[]", MEMBER_KEYS);
        SECTIONS.put("tta", TTA_KEYS);
        SECTIONS.put("ensemble", ENSEMBLE_KEYS);
        SECTIONS.put("submission", SubmissionReader.KEYS);
    }

    /**
     * fastai's defaults where it has one (effective batch 64, one-cycle, AdamW with wd 0.01,
     * fine_tune's lr_mult 100, ImageNet statistics). The seed is base 0, not a draw: each member
     * still gets its own seed and split (derived from its name), and every runner of a team the
     * same ones, so their keys match and one runner's shared predictions serve the others (drawn
     * seeds are new on every fresh checkout: {@code seed: random} asks for that).
     */
    static final TrainingSpec DEFAULTS = new TrainingSpec(
            5, 1e-3, false, 100, 64, Schedule.ONE_CYCLE, 1, OptimizerKind.ADAMW, 0.01,
            new ItemTransform(ItemTransform.Resize.SQUISH, 224), 224, Normalization.IMAGENET, SeedPolicy.fixed(0),
            List.of(TrainingSpec.LABEL), Numerics.MACHINE);

    private ManifestLoader() {}

    public static Manifest load(Path file) throws ManifestException {
        Path absolute = file.toAbsolutePath().normalize();
        Node root = YamlDocument.compose(absolute);
        Problems problems = new Problems(absolute);
        if (root == null || (root instanceof ScalarNode scalar && Tag.NULL.equals(scalar.getTag()))) {
            throw new ManifestException(List.of(absolute + ": the manifest is empty; it needs at least 'data:' (train,"
                    + " test, sample_submission) and 'members:' (each with a name and an arch)"));
        }
        if (!(root instanceof MappingNode)) {
            problems.at(root, "the manifest: expected a mapping of keys to values ('data:', 'members:', ...), got "
                    + Section.describe(root));
            throw new ManifestException(problems.list());
        }
        Manifest manifest = read(absolute, new Section("", root, problems), problems);
        if (!problems.isEmpty()) {
            throw new ManifestException(problems.list());
        }
        return manifest;
    }

    private static Manifest read(Path file, Section top, Problems problems) {
        Path base = file.getParent();
        top.rejectUnknownKeys(TOP_KEYS);
        top.require("data");
        top.require("members");

        Section dataSection = top.section("data");
        DataSpec data = readData(dataSection, base, problems);
        Optional<MemoryBudget> budget = readBudget(top);
        Section defaultsSection = top.section("defaults");
        defaultsSection.rejectUnknownKeys(TRAINING_KEYS);
        TrainingSpec defaults = TrainingReader.read(defaultsSection, DEFAULTS);
        Map<Section, List<String>> targetsDeclared = new LinkedHashMap<>();
        if (defaultsSection.has("targets")) {
            targetsDeclared.put(defaultsSection, defaults.targets());
        }

        List<MemberSpec> members = new ArrayList<>();
        Map<String, String> names = new HashMap<>(); // by lower case: macOS and Windows file names ignore case
        List<Section> memberSections = top.sections("members");
        if (top.has("members") && memberSections.isEmpty()) {
            top.problem("members", "the list is empty; declare at least one member (name and arch)");
        }
        for (Section m : memberSections) {
            MemberSpec member = readMember(m, defaults, base, budget.isPresent());
            if (member != null) {
                String before = names.putIfAbsent(member.name().toLowerCase(Locale.ROOT), member.name());
                if (before != null) {
                    m.problem("name", "duplicate member name '" + member.name() + "'" + (before.equals(member.name())
                            ? "" : " (as '" + before + "': names are file names, and on macOS and Windows case does"
                            + " not tell files apart)") + "; each member needs its own");
                }
                members.add(member);
                if (m.has("targets")) {
                    targetsDeclared.put(m, member.training().targets());
                }
            }
        }
        LabelsCheck.check(dataSection, data, targetsDeclared, members);

        Section ttaSection = top.section("tta");
        ttaSection.rejectUnknownKeys(TTA_KEYS);
        TtaSpec tta = new TtaSpec(ttaSection.integer("n", 4, 0, 64), ttaSection.real("beta", 0.25, 0, 1, false));

        Section ensembleSection = top.section("ensemble");
        ensembleSection.rejectUnknownKeys(ENSEMBLE_KEYS);
        List<String> ensembleMembers = ensembleSection.strings("members");
        List<String> declared = members.stream().map(MemberSpec::name).distinct().toList();
        for (String name : ensembleMembers) {
            if (!declared.contains(name)) {
                ensembleSection.problem("members", "no member named '" + name + "'"
                        + Problems.didYouMean(name, declared) + "; members: " + String.join(", ", declared));
            }
        }

        return new Manifest(file, data, budget, members, tta, new EnsembleSpec(ensembleMembers),
                SubmissionReader.read(top.section("submission")), top.integer("parallel", 1, 1, 64));
    }

    private static DataSpec readData(Section data, Path base, Problems problems) {
        data.rejectUnknownKeys(DATA_KEYS);
        if (data.node() == null) {
            return new DataSpec(base, base, base, Optional.empty(), 0.2, Optional.empty());
        }
        data.require("train");
        data.require("test");
        data.require("sample_submission");
        Path train = folder(data, "train", base);
        if (train != null) {
            checkClassFolders(data, train);
        }
        Path test = folder(data, "test", base);
        List<Path> testImages = test == null ? null : UserPaths.images(data, "test", test);
        if (testImages != null && testImages.isEmpty()) {
            data.problem("test", "no images (" + String.join(", ", ImageFiles.EXTENSIONS) + ") in " + test);
        }
        Path sample = file(data, "sample_submission", base);
        Optional<Path> testLabels = data.has("test_labels") ? Optional.ofNullable(file(data, "test_labels", base)) : Optional.empty();
        double validPct = data.real("valid_pct", 0.2, 0, 0.9, true);
        Optional<Path> labels = data.has("labels") ? Optional.ofNullable(file(data, "labels", base)) : Optional.empty();
        return new DataSpec(train, test, sample, testLabels, validPct, labels);
    }

    private static void checkClassFolders(Section data, Path train) {
        List<Path> classes = UserPaths.subfolders(data, "train", train);
        if (classes == null) {
            return;
        }
        if (classes.size() < 2) {
            data.problem("train", train + " has " + classes.size() + " class folder(s); the Paddy layout needs one"
                    + " folder per label (train/<label>/*.jpg) and at least two labels");
        }
        for (Path label : classes) {
            List<Path> images = UserPaths.images(data, "train", label);
            if (images != null && images.isEmpty()) {
                data.problem("train", "class folder '" + label.getFileName() + "' has no images ("
                        + String.join(", ", ImageFiles.EXTENSIONS) + "); add images or remove the folder");
            }
        }
    }

    private static Path folder(Section section, String key, Path base) {
        return UserPaths.existing(section, key, base, true);
    }

    private static Path file(Section section, String key, Path base) {
        return UserPaths.existing(section, key, base, false);
    }

    private static Optional<MemoryBudget> readBudget(Section top) {
        double margin = top.real("budget_margin", 0.05, 0, 0.5, false);
        if (!top.has("budget")) {
            if (top.has("budget_margin")) {
                top.problem("budget_margin", "a margin needs a budget; add e.g. 'budget: 16280MiB'");
            }
            return Optional.empty();
        }
        String text = Section.scalarText(top.valueNode("budget"));
        Long bytes = text == null ? null : MemoryBudget.parseBytes(text);
        if (bytes == null || bytes <= 0) {
            top.problem("budget", "expected a memory size such as 16280MiB, 14GiB or 15.5GB, got "
                    + Section.describe(top.valueNode("budget")));
            return Optional.empty();
        }
        return Optional.of(new MemoryBudget(bytes, margin));
    }

    private static MemberSpec readMember(Section m, TrainingSpec defaults, Path base, boolean hasBudget) {
        if (m.node() == null) {
            return null;
        }
        m.rejectUnknownKeys(MEMBER_KEYS);
        m.require("name");
        String name = m.string("name", "member");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            m.problem("name", "'" + Printable.of(name) + "' is not a valid member name; use letters, digits, '.', '_'"
                    + " and '-' (it becomes part of file names)");
        } else if (name.length() > MAX_MEMBER_NAME) {
            m.problem("name", "'" + name.substring(0, 20) + "...' has " + name.length() + " characters; a member name"
                    + " has at most " + MAX_MEMBER_NAME + " (it becomes part of file names)");
        } else if (name.endsWith(OutputLayout.SHARED_RECORD_SUFFIX)) {
            m.problem("name", "'" + name + "' ends with '" + OutputLayout.SHARED_RECORD_SUFFIX + "', which names the"
                    + " training record of member '" + name.substring(0, name.length()
                    - OutputLayout.SHARED_RECORD_SUFFIX.length()) + "' among the predictions; choose another name");
        }
        Optional<Path> weights = m.has("weights") ? Optional.ofNullable(file(m, "weights", base)) : Optional.empty();
        ModelSource model = readModel(m, weights);
        TrainingSpec training = TrainingReader.read(m, defaults);
        boolean accumAuto = hasBudget && (!m.has("accum") || "auto".equals(Section.scalarText(m.valueNode("accum"))));
        int accum = 1;
        if (m.has("accum") && "auto".equals(Section.scalarText(m.valueNode("accum")))) {
            if (!hasBudget) {
                m.problem("accum", "'auto' needs a memory budget to plan against; add e.g. 'budget: 16280MiB' at the"
                        + " top level, or give a whole number");
            }
        } else {
            accum = m.integer("accum", 1, 1, 1 << 16);
        }
        int batch = training.batchSize();
        if (accum > batch) {
            m.problem("accum", "accum " + accum + " is larger than batch_size " + batch + ": a step of " + batch
                    + " images cannot be cut into " + accum + " micro-batches; pick an accum that divides " + batch
                    + ": " + Divisors.text(batch));
        } else if (batch % accum != 0) {
            m.problem("accum", "batch_size " + batch + " is not a multiple of accum " + accum
                    + "; the micro-batch is batch_size / accum, so pick an accum that divides it: " + Divisors.text(batch));
        }
        double weight = m.real("weight", 1.0, 0, 1000, true);
        return new MemberSpec(name, model, accum, accumAuto, weight, training, weights);
    }

    /**
     * A built-in {@code arch}, or a TorchScript body named by {@code weights} (then {@code arch},
     * if given, is only the label the member shows, by default the file name; {@code head} picks the head).
     */
    private static ModelSource readModel(Section m, Optional<Path> weights) {
        String arch = m.string("arch", null);
        boolean body = weights.isPresent() && TorchScriptBody.isZipArchive(weights.get());
        if (body) {
            String head = m.string("head", ModelSource.FASTAI_HEAD);
            if (!head.equals(ModelSource.FASTAI_HEAD) && !head.equals(ModelSource.LINEAR_HEAD)) {
                m.problem("head", "unknown head '" + head + "'; allowed: " + ModelSource.FASTAI_HEAD
                        + " (fastai's create_head), " + ModelSource.LINEAR_HEAD + " (one linear layer)");
            }
            return ModelSource.torchScript(weights.get(), head, arch == null ? weights.get().getFileName().toString() : arch);
        }
        if (m.has("head")) {
            m.problem("head", "a head is put on a TorchScript body only; name the body with 'weights: <file>.pt'");
        }
        if (arch == null && !m.has("weights")) {
            m.require("arch");
        } else if (arch == null) {
            if (weights.isPresent()) {
                m.problem("weights", "not a TorchScript body (a .pt file exported with torch.jit), so the member needs"
                        + " an 'arch' that this parameter file belongs to");
            }
        } else if (!Architectures.names().contains(arch)) {
            m.problem("arch", "unknown architecture '" + arch + "'" + Problems.didYouMean(arch, Architectures.names())
                    + "; allowed: " + String.join(", ", Architectures.names())
                    + ", or leave it out and name a TorchScript body with 'weights:'");
        }
        return ModelSource.builtIn(arch == null ? "" : arch);
    }

    private static Set<String> ordered(String... keys) {
        return new LinkedHashSet<>(List.of(keys));
    }
}
