package dev.paddy.experiment;

import dev.paddy.data.Decoder;
import dev.paddy.data.PaddyData;
import dev.paddy.engine.Engines;
import dev.paddy.engine.Numerics;
import dev.paddy.io.Hashing;
import dev.paddy.manifest.Manifest;
import dev.paddy.manifest.MemberSpec;
import dev.paddy.memory.MemoryBudget;
import dev.paddy.train.Schedule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Every cache key of the experiment, in one place: the inputs that determine a member's memory
 * plan, its trained weights and its TTA predictions, and their hashes. A member's keys are
 * computed once per build; the inputs maps are what the keys hash and what {@link WhyRuns}
 * compares, so a reason is exactly the change that moved a key. Pure: nothing here writes.
 */
final class Keys {
    /** Hex digits of a key shown in the log. */
    static final int SHOWN = 12;

    private final Manifest manifest;
    private final PaddyData data;
    private final String dataFingerprint;
    private final Map<String, Long> seeds;
    private final String testIds;
    private final Map<Path, String> fileHashes = new HashMap<>();
    private final Map<MemberSpec, MemberKeys> known = new HashMap<>();
    private String plugin;
    private String engine;

    /** A member's training and TTA inputs and keys, and its seed. */
    record MemberKeys(long seed, Map<String, String> trainingInputs, String training, Map<String, String> ttaInputs,
                      String tta) {}

    /** @param seeds each member's seed, drawn or derived when the experiment opened */
    Keys(Manifest manifest, PaddyData data, String dataFingerprint, Map<String, Long> seeds) {
        this.manifest = manifest;
        this.data = data;
        this.dataFingerprint = dataFingerprint;
        this.seeds = Map.copyOf(seeds);
        this.testIds = Hashing.sha256(String.join("\n", data.testIds()));
    }

    static String shown(String key) {
        return key.substring(0, SHOWN);
    }

    /**
     * The keys of {@code member} at its resolved accumulation factor and learning rate, which the
     * caller passes ({@link MemberResolver}): the spec's own may be placeholders until then.
     */
    synchronized MemberKeys of(MemberSpec member, int accum, double lr) throws IOException {
        MemberSpec resolved = member.withAccum(accum).withLr(lr);
        MemberKeys keys = known.get(resolved);
        if (keys == null) {
            Map<String, String> training = trainingInputs(member, accum, lr);
            String trainingKey = Hashing.sha256(training);
            Map<String, String> tta = ttaInputs(trainingKey);
            keys = new MemberKeys(seed(member), Collections.unmodifiableMap(training), trainingKey, tta, Hashing.sha256(tta));
            known.put(resolved, keys);
        }
        return keys;
    }

    long seed(MemberSpec member) {
        return seeds.get(member.name());
    }

    /** Everything that determines a member's trained weights, in a stable order. */
    private Map<String, String> trainingInputs(MemberSpec member, int accum, double lr) throws IOException {
        Map<String, String> inputs = new LinkedHashMap<>();
        // v2: no weight decay on norm layers and biases; per-group learning rates; optimizer state cleared at unfreeze
        inputs.put("stage", "train-v2");
        putTooling(inputs);
        putModel(inputs, member);
        inputs.put("accum", Integer.toString(accum));
        var t = member.training();
        inputs.put("epochs", Integer.toString(t.epochs()));
        inputs.put("lr", Double.toString(lr));
        if (t.lrFind()) {
            inputs.put("lr_from", "lr-find");
        }
        inputs.put("batch_size", Integer.toString(t.batchSize()));
        inputs.put("schedule", t.schedule().name().toLowerCase(Locale.ROOT));
        if (t.schedule() == Schedule.FINE_TUNE) {
            inputs.put("freeze_epochs", Integer.toString(t.freezeEpochs()));
            inputs.put("lr_mult", Double.toString(t.lrMult()));
        }
        inputs.put("optimizer", t.optimizer().name().toLowerCase(Locale.ROOT));
        inputs.put("weight_decay", Double.toString(t.weightDecay()));
        inputs.put("item", t.item().toString());
        inputs.put("decoder", Decoder.name());
        inputs.put("input_size", Integer.toString(t.inputSize()));
        inputs.put("normalize", t.normalization().toString());
        inputs.put("valid_pct", Double.toString(manifest.data().validPct()));
        inputs.put("seed", Long.toString(seed(member)));
        inputs.put("weights", member.weights().isPresent() ? fileHash(member.weights().get()) : "none");
        inputs.put("data", dataFingerprint);
        putTargets(inputs, member);
        if (t.numerics() == Numerics.PORTABLE) { // other bytes than the machine's: nothing for the machine's, whose keys stay
            inputs.put("numerics", t.numerics().manifestName());
        }
        return inputs;
    }

    /**
     * The targets after the folder label and the labels CSV's content hash; nothing for a member
     * of the folder label alone, whose keys stay what they were before paddy had targets.
     */
    private void putTargets(Map<String, String> inputs, MemberSpec member) throws IOException {
        if (!member.training().moreTargets().isEmpty()) {
            inputs.put("targets", String.join(",", member.training().targets()));
            inputs.put("labels", fileHash(manifest.data().labels().orElseThrow()));
        }
    }

    /** The architecture, or a TorchScript body's content hash and its head. */
    private void putModel(Map<String, String> inputs, MemberSpec member) throws IOException {
        inputs.put("arch", member.arch());
        if (member.model().pretrainedBody()) {
            inputs.put("body", fileHash(member.weights().orElseThrow()));
            inputs.put("head", member.model().head());
        }
    }

    /**
     * Everything that determines a member's lr finder curve: what its training starts from and
     * how it steps (model, data, batch at its planned {@code accum}, optimizer, seed), not its lr,
     * epochs or lr_mult.
     */
    synchronized String lrFind(MemberSpec member, int accum) throws IOException {
        Map<String, String> inputs = new LinkedHashMap<>(trainingInputs(member, accum, member.training().lr()));
        for (String later : new String[] {"epochs", "lr", "lr_from", "lr_mult"}) {
            inputs.remove(later);
        }
        inputs.put("stage", "lr-find-v1");
        return Hashing.sha256(inputs);
    }

    /** Everything that determines a member's TTA predictions. */
    private Map<String, String> ttaInputs(String trainingKey) {
        Map<String, String> inputs = new LinkedHashMap<>();
        // v2: an image's augmentations are drawn by its pixels, not its place in the list
        inputs.put("stage", "tta-v2");
        inputs.put("training", trainingKey);
        inputs.put("tta.n", Integer.toString(manifest.tta().n()));
        inputs.put("tta.beta", Double.toString(manifest.tta().beta()));
        inputs.put("test", testIds);
        return Collections.unmodifiableMap(inputs);
    }

    /** Everything that affects a member's peak memory: not the data's size, nor epochs, nor lr. */
    synchronized String memory(MemberSpec member, MemoryBudget budget) throws IOException {
        Map<String, String> inputs = new LinkedHashMap<>();
        inputs.put("stage", "memory-v1");
        putTooling(inputs);
        inputs.put("device", Engines.device().toString());
        putModel(inputs, member);
        inputs.put("classes", Integer.toString(data.vocabulary().size()));
        putTargets(inputs, member); // more outputs
        inputs.put("item", member.training().item().toString());
        inputs.put("input_size", Integer.toString(member.training().inputSize()));
        inputs.put("batch_size", Integer.toString(member.training().batchSize()));
        inputs.put("optimizer", member.training().optimizer().name());
        inputs.put("budget", Long.toString(budget.bytes()));
        inputs.put("margin", Double.toString(budget.margin()));
        return Hashing.sha256(inputs);
    }

    /** The plugin's and the engine's versions, read once. */
    private void putTooling(Map<String, String> inputs) {
        inputs.put("plugin", plugin());
        inputs.put("engine", engine());
    }

    /** The manifest's content hash as shown (12 hex): names the experiment in the report and on the leaderboard. */
    String manifestShown() throws IOException {
        return shown(Hashing.sha256(manifest.file()));
    }

    synchronized String plugin() {
        if (plugin == null) {
            plugin = pluginVersion();
        }
        return plugin;
    }

    synchronized String engine() {
        if (engine == null) {
            engine = Engines.version();
        }
        return engine;
    }

    /** A file's content hash (weights, a body, the labels CSV), read once per build however many keys need it. */
    private String fileHash(Path file) throws IOException {
        String known = fileHashes.get(file);
        if (known == null) {
            known = Hashing.sha256(file);
            fileHashes.put(file, known);
        }
        return known;
    }

    private static String pluginVersion() {
        try (InputStream in = Keys.class.getResourceAsStream("/dev/paddy/paddy.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
