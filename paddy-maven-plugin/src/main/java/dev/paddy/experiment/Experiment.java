package dev.paddy.experiment;

import dev.paddy.io.AtomicFiles;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.paddy.data.DataException;
import dev.paddy.data.ItemImages;
import dev.paddy.data.PaddyData;
import dev.paddy.data.Split;
import dev.paddy.engine.Engines;
import dev.paddy.ensemble.Predictions;
import dev.paddy.ensemble.WeightedMean;
import dev.paddy.manifest.ItemTransform;
import dev.paddy.manifest.Manifest;
import dev.paddy.manifest.ManifestException;
import dev.paddy.manifest.ManifestLoader;
import dev.paddy.manifest.MemberSpec;
import dev.paddy.manifest.MemoryBudget;
import dev.paddy.memory.MemoryPlan;
import dev.paddy.memory.MemoryPlanner;
import dev.paddy.memory.ProbeRequest;
import dev.paddy.memory.ProbeRunner;
import dev.paddy.predict.Tta;
import dev.paddy.submit.SubmissionWriter;
import dev.paddy.train.Learner;
import dev.paddy.train.MemberTrainer;
import dev.paddy.train.TrainingListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * A whole experiment, stage by stage: train the members, predict the test set with TTA, ensemble,
 * write the submission. Each stage caches its result under the output folder keyed by a hash of
 * everything that determines it, so an unchanged member is never trained or predicted again.
 *
 * <p>Layout of the output folder: {@code members/<name>/} (model.params, training.json,
 * checkpoint/), {@code predictions/<name>-<key>.probs}, {@code ensemble.probs}, the submission
 * CSV, {@code seeds.properties} and {@code fingerprint.properties}.
 */
public final class Experiment {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    private final Manifest manifest;
    private final Path out;
    private final ExperimentLog log;
    private final PaddyData data;
    private final String dataFingerprint;
    private final Seeds seeds;
    private final int threads;
    private final Map<ItemTransform, ItemImages> trainItems = new HashMap<>();
    private final Map<ItemTransform, ItemImages> testItems = new HashMap<>();
    private final Map<Path, String> weightsHashes = new HashMap<>();
    private List<String> probeJvmArgs = List.of();
    private SharedPredictions shared = SharedPredictions.NONE;

    private Experiment(Manifest manifest, Path out, ExperimentLog log, PaddyData data, String dataFingerprint, Seeds seeds) {
        this.manifest = manifest;
        this.out = out;
        this.log = log;
        this.data = data;
        this.dataFingerprint = dataFingerprint;
        this.seeds = seeds;
        this.threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /** Loads and validates the manifest, scans and fingerprints the data; no training yet. */
    public static Experiment open(Path manifestFile, Path outputDir, ExperimentLog log)
            throws ManifestException, DataException, IOException {
        Manifest manifest = ManifestLoader.load(manifestFile);
        PaddyData data = PaddyData.scan(manifest.data());
        List<Path> files = new ArrayList<>();
        data.train().forEach(image -> files.add(image.file()));
        files.addAll(data.test());
        files.add(manifest.data().sampleSubmission());
        Path root = manifest.file().getParent();
        String fingerprint = DataFingerprint.of(root, files, outputDir.resolve("fingerprint.properties"));
        log.info(String.format(Locale.ROOT, "data: %d training images in %d classes, %d test images (fingerprint %s)",
                data.train().size(), data.vocabulary().size(), data.test().size(), fingerprint.substring(0, 12)));
        return new Experiment(manifest, outputDir, log, data, fingerprint, new Seeds(outputDir.resolve("seeds.properties")));
    }

    public Manifest manifest() {
        return manifest;
    }

    public PaddyData data() {
        return data;
    }

    public Path outputDir() {
        return out;
    }

    /** The members named in {@code names} (all when empty), in manifest order. */
    public List<MemberSpec> members(Set<String> names) throws ExperimentException {
        checkNames(names);
        List<MemberSpec> selected = new ArrayList<>();
        for (MemberSpec member : manifest.members()) {
            if (names.isEmpty() || names.contains(member.name())) {
                selected.add(resolve(member));
            }
        }
        return selected;
    }

    private void checkNames(Set<String> names) throws ExperimentException {
        for (String name : names) {
            if (manifest.member(name).isEmpty()) {
                throw new ExperimentException("no member named '" + name + "' in " + manifest.file() + "; members: "
                        + String.join(", ", manifest.members().stream().map(MemberSpec::name).toList()));
            }
        }
    }

    /** Extra options for the memory probes' child JVMs (e.g. -Xmx). */
    public Experiment probeJvmArgs(List<String> args) {
        this.probeJvmArgs = List.copyOf(args);
        return this;
    }

    /** Where the team's predictions are looked up before a member is trained or predicted. */
    public Experiment sharedPredictions(SharedPredictions source) {
        this.shared = source;
        return this;
    }

    // ---------------------------------------------------------------- memory plan

    public Path memoryPlanFile() {
        return out.resolve("memory-plan.json");
    }

    /** Everything that affects a member's peak memory: not the data's size, nor epochs, nor lr. */
    public String memoryKey(MemberSpec member, MemoryBudget budget) {
        Map<String, String> inputs = new LinkedHashMap<>();
        inputs.put("stage", "memory-v1");
        inputs.put("plugin", pluginVersion());
        inputs.put("engine", Engines.version());
        inputs.put("device", Engines.device().toString());
        inputs.put("arch", member.arch());
        inputs.put("classes", Integer.toString(data.vocabulary().size()));
        inputs.put("item", member.training().item().toString());
        inputs.put("input_size", Integer.toString(member.training().inputSize()));
        inputs.put("batch_size", Integer.toString(member.training().batchSize()));
        inputs.put("optimizer", member.training().optimizer().name());
        inputs.put("budget", Long.toString(budget.bytes()));
        inputs.put("margin", Double.toString(budget.margin()));
        return Hashing.sha256(inputs);
    }

    /**
     * Probes every selected member with {@code accum: auto} whose plan is missing or stale (or
     * all of them with {@code force}), writes {@code memory-plan.json} and prints the table.
     *
     * @return how many members were probed
     */
    public int planMemory(Set<String> names, boolean force) throws ExperimentException, IOException {
        if (manifest.budget().isEmpty()) {
            return 0;
        }
        checkNames(names);
        MemoryBudget budget = manifest.budget().get();
        MemoryPlan plan = MemoryPlan.read(memoryPlanFile());
        MemoryPlanner planner = new MemoryPlanner(new ProbeRunner(out.resolve("probes"), probeJvmArgs, 900), log::info);
        int probed = 0;
        List<MemberSpec> planned = new ArrayList<>();
        for (MemberSpec member : manifest.members()) {
            if (!member.accumAuto() || !(names.isEmpty() || names.contains(member.name()))) {
                continue;
            }
            planned.add(member);
            String key = memoryKey(member, budget);
            if (!force && plan.entry(member.name(), key).isPresent()) {
                continue;
            }
            log.info(member.name() + ": probing peak memory for accum = " + MemoryPlanner.candidates(member.training().batchSize())
                    + " until one fits " + MemoryBudget.format(budget.limit()) + " (" + budget + ")");
            MemoryPlan.Entry entry = planner.plan(member.name(), probeRequest(member), budget, key);
            plan.put(member.name(), entry);
            plan.write(memoryPlanFile());
            if (!entry.fits()) {
                log.warn(MemoryPlanner.doesNotFit(member.name(), entry, budget));
            }
            probed++;
        }
        printPlan(plan, planned, budget);
        return probed;
    }

    /**
     * Optimizer steps per half of a probe (it crosses one epoch boundary, with a validation pass
     * and a checkpoint, as training does). Resident memory levels off after a few steps once
     * nothing piles up between GCs (see Learner's staging buffer): 2 x 12 steps measured within
     * 4% of a full 2-epoch training's peak.
     */
    static final int PROBE_STEPS = 12;

    private ProbeRequest probeRequest(MemberSpec member) {
        // The smallest class, as the seed notebook probes: memory depends on sizes, not on data.
        Map<Integer, List<String>> byClass = new HashMap<>();
        for (PaddyData.LabelledImage image : data.train()) {
            byClass.computeIfAbsent(image.label(), k -> new ArrayList<>()).add(image.file().toString());
        }
        List<String> smallest = byClass.values().stream().min(java.util.Comparator.comparingInt(List::size)).orElseThrow();
        var t = member.training();
        return new ProbeRequest(member.arch(), data.vocabulary().size(), t.item().resize().name(), t.item().size(),
                t.inputSize(), t.optimizer().name(), t.weightDecay(), t.batchSize(), 1, PROBE_STEPS, smallest);
    }

    private void printPlan(MemoryPlan plan, List<MemberSpec> members, MemoryBudget budget) {
        log.info(String.format(Locale.ROOT, "memory plan (%s, limit %s):", budget, MemoryBudget.format(budget.limit())));
        log.info(String.format(Locale.ROOT, "%-20s %-16s %-12s %5s %6s %6s %12s %5s", "member", "arch", "item", "input",
                "batch", "accum", "peak MiB", "fits"));
        for (MemberSpec member : members) {
            plan.entry(member.name(), memoryKey(member, budget)).ifPresent(entry -> {
                for (MemoryPlan.Trial trial : entry.trials()) {
                    log.info(String.format(Locale.ROOT, "%-20s %-16s %-12s %5d %6d %6d %12s %5s", member.name(),
                            member.arch(), member.training().item(), member.training().inputSize(),
                            member.training().batchSize(), trial.accum(),
                            trial.peakMiB() < 0 ? "failed" : String.format(Locale.ROOT, "%.1f", trial.peakMiB()),
                            trial.fits() ? "yes" : "no"));
                }
            });
        }
    }

    /** The member with its accumulation factor taken from the memory plan, if it is {@code auto}. */
    private MemberSpec resolve(MemberSpec member) throws ExperimentException {
        if (!member.accumAuto()) {
            return member;
        }
        MemoryBudget budget = manifest.budget().orElseThrow();
        MemoryPlan.Entry entry = MemoryPlan.read(memoryPlanFile()).entry(member.name(), memoryKey(member, budget))
                .orElseThrow(() -> new ExperimentException("member '" + member.name() + "' has accum: auto but no memory"
                        + " plan for its current configuration; run 'mvn paddy:probe-memory' (paddy:train does it too)"));
        if (!entry.fits()) {
            throw new ExperimentException(MemoryPlanner.doesNotFit(member.name(), entry, budget));
        }
        return member.withAccum(entry.accum());
    }

    // ---------------------------------------------------------------- keys

    /** Everything that determines a member's trained weights, in a stable order. */
    public Map<String, String> trainingInputs(MemberSpec member) throws IOException {
        Map<String, String> inputs = new LinkedHashMap<>();
        inputs.put("stage", "train-v1");
        inputs.put("plugin", pluginVersion());
        inputs.put("engine", Engines.version());
        inputs.put("arch", member.arch());
        inputs.put("accum", Integer.toString(member.accum()));
        var t = member.training();
        inputs.put("epochs", Integer.toString(t.epochs()));
        inputs.put("lr", Double.toString(t.lr()));
        inputs.put("batch_size", Integer.toString(t.batchSize()));
        inputs.put("schedule", t.schedule().name().toLowerCase(Locale.ROOT));
        if (t.schedule() == dev.paddy.manifest.TrainingSpec.Schedule.FINE_TUNE) {
            inputs.put("freeze_epochs", Integer.toString(t.freezeEpochs()));
        }
        inputs.put("optimizer", t.optimizer().name().toLowerCase(Locale.ROOT));
        inputs.put("weight_decay", Double.toString(t.weightDecay()));
        inputs.put("item", t.item().toString());
        inputs.put("decoder", dev.paddy.data.Decoder.name());
        inputs.put("input_size", Integer.toString(t.inputSize()));
        inputs.put("valid_pct", Double.toString(manifest.data().validPct()));
        inputs.put("seed", Long.toString(seeds.seedFor(member.name(), t.seed())));
        inputs.put("weights", member.weights().isPresent() ? weightsHash(member.weights().get()) : "none");
        inputs.put("data", dataFingerprint);
        return inputs;
    }

    /** A weights file's content hash, read once per experiment however many keys need it. */
    private String weightsHash(Path file) throws IOException {
        String known = weightsHashes.get(file);
        if (known == null) {
            known = Hashing.sha256(file);
            weightsHashes.put(file, known);
        }
        return known;
    }

    public String trainingKey(MemberSpec member) throws IOException {
        return Hashing.sha256(trainingInputs(member));
    }

    /** Everything that determines a member's TTA predictions. */
    public Map<String, String> ttaInputs(MemberSpec member) throws IOException {
        Map<String, String> inputs = new LinkedHashMap<>();
        inputs.put("stage", "tta-v1");
        inputs.put("training", trainingKey(member));
        inputs.put("tta.n", Integer.toString(manifest.tta().n()));
        inputs.put("tta.beta", Double.toString(manifest.tta().beta()));
        inputs.put("test", Hashing.sha256(String.join("\n", data.testIds())));
        return inputs;
    }

    public String ttaKey(MemberSpec member) throws IOException {
        return Hashing.sha256(ttaInputs(member));
    }

    public Path memberDir(MemberSpec member) {
        return out.resolve("members").resolve(member.name());
    }

    public Path predictionsFile(MemberSpec member) throws IOException {
        return out.resolve("predictions").resolve(member.name() + "-" + ttaKey(member).substring(0, 16) + ".probs");
    }

    // ---------------------------------------------------------------- train

    /** Whether the member's weights for its current key are on disk, whole. */
    public boolean isTrained(MemberSpec member) throws IOException {
        return whyTrain(member).isEmpty();
    }

    /** Empty when the member's weights for its current key are on disk and intact; else why it must train. */
    private Optional<String> whyTrain(MemberSpec member) throws IOException {
        Map<String, String> now = trainingInputs(member);
        JsonObject record = readJson(memberDir(member).resolve("training.json"));
        if (record == null || !record.has("inputs")) {
            return Optional.of(Files.isRegularFile(memberDir(member).resolve("checkpoint").resolve("progress.json"))
                    ? "interrupted before its end: a checkpoint is there" : "new");
        }
        if (!Hashing.sha256(now).equals(stringOrNull(record, "key"))) {
            return Optional.of(WhyRuns.diff(stringMap(record.getAsJsonObject("inputs")), now));
        }
        String checksum = dev.paddy.io.Checksums.of(memberDir(member).resolve("model.params"));
        if (checksum == null) {
            return Optional.of("weights file missing (" + memberDir(member).resolve("model.params") + ")");
        }
        if (stringOrNull(record, "model_checksum") == null) {
            return Optional.of("no checksum recorded for its weights (an older paddy trained it)");
        }
        if (!checksum.equals(stringOrNull(record, "model_checksum"))) {
            return Optional.of("weights file damaged: size:CRC32C " + checksum + ", training.json records "
                    + stringOrNull(record, "model_checksum"));
        }
        return Optional.empty();
    }

    private static JsonObject readJson(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return GSON.fromJson(in, JsonObject.class);
        } catch (IOException | RuntimeException e) {
            return null; // unreadable: as if absent, recomputed
        }
    }

    private static Map<String, String> stringMap(JsonObject json) {
        Map<String, String> map = new LinkedHashMap<>();
        json.entrySet().forEach(e -> map.put(e.getKey(), e.getValue().getAsString()));
        return map;
    }

    private static String stringOrNull(JsonObject json, String field) {
        return json.has(field) && json.get(field).isJsonPrimitive() ? json.get(field).getAsString() : null;
    }

    /** Trains each selected member whose key changed; returns how many were trained. */
    public int train(Set<String> names) throws ExperimentException, IOException {
        checkNames(names);
        planMemory(names, false);
        Map<MemberSpec, String> toTrain = new LinkedHashMap<>(); // member -> why it trains
        for (MemberSpec member : members(names)) {
            Optional<String> why = whyTrain(member);
            if (why.isEmpty()) {
                log.info(member.name() + ": cached (weights for key " + trainingKey(member).substring(0, 12) + ")");
            } else if (availablePredictions(member).isPresent()) {
                log.info(member.name() + ": cached (its TTA predictions for this configuration are at hand:"
                        + " no weights needed)");
            } else {
                toTrain.put(member, why.get());
            }
        }
        if (toTrain.isEmpty()) {
            return 0;
        }
        // Know every unreadable test image before spending any time on training.
        for (MemberSpec member : toTrain.keySet()) {
            testItems(member.training().item());
        }
        MemberTrainer trainer = new MemberTrainer(threads, Engines.device());
        for (MemberSpec member : toTrain.keySet()) {
            log.info(member.name() + ": trains (" + toTrain.get(member) + ")");
            trainMember(trainer, member);
        }
        return toTrain.size();
    }

    private void trainMember(MemberTrainer trainer, MemberSpec member) throws IOException {
        Map<String, String> inputs = trainingInputs(member);
        String key = Hashing.sha256(inputs);
        long seed = Long.parseLong(inputs.get("seed"));
        Path dir = memberDir(member);
        Files.createDirectories(dir);
        // training.json stays until the new one replaces it: its inputs explain the next change,
        // and the model checksum it records keeps a half-written retrain from looking cached.
        ItemImages items = trainItems(member.training().item());
        Split split = Split.random(data.train().size(), manifest.data().validPct(), seed).without(items.missing());
        int[] labels = data.train().stream().mapToInt(PaddyData.LabelledImage::label).toArray();
        log.info(String.format(Locale.ROOT, "%s: training %s (seed %d): %d train / %d valid images, %d epochs,"
                        + " batch %d = %d x %d micro-batches, %s, %s",
                member.name(), member.arch(), seed, split.train().length, split.valid().length,
                member.training().epochs(), member.training().batchSize(), member.accum(), member.microBatchSize(),
                member.training().schedule().name().toLowerCase(Locale.ROOT), member.training().item()));
        MemberTrainer.Result result = trainer.train(member, data.vocabulary().size(), items, labels, split, seed,
                member.weights().orElse(null), dir, key, progressLog());
        JsonObject record = new JsonObject();
        record.addProperty("key", key);
        record.addProperty("member", member.name());
        record.add("inputs", GSON.toJsonTree(inputs));
        record.add("vocabulary", GSON.toJsonTree(data.vocabulary()));
        record.add("epochs", GSON.toJsonTree(result.epochs()));
        record.addProperty("error_rate", result.errorRate());
        record.addProperty("seconds", result.seconds());
        record.addProperty("images_per_second", result.imagesPerSecond());
        record.addProperty("train_images", result.trainImages());
        record.addProperty("valid_images", result.validImages());
        record.add("skipped_images", GSON.toJsonTree(items.failures()));
        record.addProperty("peak_memory_mib", result.peakMemoryBytes() / (double) (1 << 20));
        record.addProperty("peak_memory_measure", result.memoryMeasure());
        record.addProperty("model_checksum", dev.paddy.io.Checksums.of(dir.resolve("model.params")));
        AtomicFiles.writeString(dir.resolve("training.json"), GSON.toJson(record));
        log.info(String.format(Locale.ROOT, "%s: trained in %.1f s, error_rate %.4f on its valid split, %.0f img/s,"
                        + " peak memory %.1f MiB over baseline (%s)%s", member.name(), result.seconds(), result.errorRate(),
                result.imagesPerSecond(), result.peakMemoryBytes() / (double) (1 << 20), result.memoryMeasure(),
                manifest.budget().map(b -> ", limit " + MemoryBudget.format(b.limit())).orElse("")));
    }

    private TrainingListener progressLog() {
        return new TrainingListener() {
            @Override
            public void onEpoch(EpochReport r) {
                log.info(String.format(Locale.ROOT,
                        "%s epoch %d/%d  train_loss %.4f  valid_loss %.4f  error_rate %.4f  %.0f img/s  %.1f s  ETA %s",
                        r.member(), r.epoch(), r.epochs(), r.trainLoss(), r.validLoss(), r.errorRate(),
                        r.imagesPerSecond(), r.seconds(), duration(r.etaSeconds())));
            }

            @Override
            public void onNote(String member, String message) {
                log.info(member + ": " + message);
            }

            @Override
            public void onProgress(String member, int epoch, int epochs, int done, int images, double ips) {
                log.info(String.format(Locale.ROOT, "%s epoch %d/%d  %d/%d images  %.0f img/s",
                        member, epoch, epochs, done, images, ips));
            }
        };
    }

    private ItemImages trainItems(ItemTransform transform) {
        return trainItems.computeIfAbsent(transform, t -> {
            List<Path> files = data.train().stream().map(PaddyData.LabelledImage::file).toList();
            ItemImages items = decode("training", files, t);
            for (String failure : items.failures()) {
                log.warn("skipped training image " + failure);
            }
            if (!items.failures().isEmpty()) {
                log.warn(items.failures().size() + " training image(s) could not be decoded and are skipped");
            }
            return items;
        });
    }

    private ItemImages testItems(ItemTransform transform) throws ExperimentException {
        ItemImages items = testItems.computeIfAbsent(transform, t -> decode("test", data.test(), t));
        if (!items.failures().isEmpty()) {
            throw new ExperimentException(items.failures().size() + " test image(s) cannot be read, and every test"
                    + " image needs a prediction; replace or re-export them:\n  " + String.join("\n  ", items.failures()));
        }
        return items;
    }

    private ItemImages decode(String what, List<Path> files, ItemTransform transform) {
        long start = System.nanoTime();
        long[] lastReport = {start};
        ItemImages items;
        try {
            items = ItemImages.presize(files, transform, threads, done -> {
                long now = System.nanoTime();
                if (now - lastReport[0] > 5e9) { // progress only when decoding takes a while
                    lastReport[0] = now;
                    log.info("decoding " + what + " images: " + done + "/" + files.size());
                }
            }, out.resolve("items"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write the item cache under " + out.resolve("items"), e);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (items.fromCache()) {
            log.info(String.format(Locale.ROOT, "%d %s images at %s: mapped from the item cache in %.2f s, no decoding",
                    files.size(), what, transform, seconds));
        } else {
            log.info(String.format(Locale.ROOT, "decoded %d %s images to %s with %s in %.1f s (%.0f img/s), cached for"
                    + " later epochs, members and builds", files.size(), what, transform, dev.paddy.data.Decoder.name(),
                    seconds, files.size() / Math.max(seconds, 1e-9)));
        }
        return items;
    }

    // ---------------------------------------------------------------- tta

    /** Predicts the test set with TTA for each selected member whose predictions are not cached. */
    public int tta(Set<String> names) throws ExperimentException, IOException {
        int computed = 0;
        for (MemberSpec member : members(names)) {
            String key = ttaKey(member);
            Path file = predictionsFile(member);
            if (availablePredictions(member).isPresent()) {
                log.info(member.name() + ": TTA predictions cached (" + out.relativize(file) + ")");
                continue;
            }
            log.info(member.name() + ": TTA runs (" + WhyRuns.diff(lastTtaInputs(member), ttaInputs(member)) + ")");
            if (!isTrained(member)) {
                throw new ExperimentException("member '" + member.name() + "' has no trained weights for its current"
                        + " configuration; run 'mvn paddy:train' (or 'mvn package') first");
            }
            ItemImages items = testItems(member.training().item());
            long seed = seeds.seedFor(member.name(), member.training().seed());
            long start = System.nanoTime();
            float[][] probabilities;
            try (Learner learner = new Learner(member.arch(), data.vocabulary().size(), member.training().inputSize(),
                    member.training().optimizer(), member.training().weightDecay(), seed, Engines.device(),
                    memberDir(member).resolve("model.params"))) {
                probabilities = Tta.predict(learner, items, member.training().inputSize(), manifest.tta().n(),
                        manifest.tta().beta(), seed, member.microBatchSize(), threads);
            }
            new Predictions(key, data.testIds(), data.vocabulary(), probabilities).write(file);
            AtomicFiles.writeString(ttaRecord(member), GSON.toJson(ttaInputs(member)));
            double seconds = (System.nanoTime() - start) / 1e9;
            int passes = manifest.tta().n() + 1;
            log.info(String.format(Locale.ROOT, "%s: TTA of %d test images x %d passes in %.1f s (%.0f img/s)",
                    member.name(), items.count(), passes, seconds, items.count() * passes / seconds));
            computed++;
        }
        return computed;
    }

    /**
     * The member's TTA predictions for its current configuration: from the local cache if they
     * are there and intact, else from the team's shared predictions (copied into the cache and
     * checked like a local entry), else empty.
     */
    public Optional<Predictions> availablePredictions(MemberSpec member) throws IOException {
        String key = ttaKey(member);
        Path file = predictionsFile(member);
        Optional<Predictions> local = cachedPredictions(member, file, key);
        if (local.isPresent()) {
            return local;
        }
        Optional<String> from = shared.fetch(member.name(), key, file);
        if (from.isEmpty()) {
            return Optional.empty();
        }
        Optional<Predictions> fetched = cachedPredictions(member, file, key);
        if (fetched.isPresent()) {
            log.info(member.name() + ": TTA predictions resolved from " + from.get());
            AtomicFiles.writeString(ttaRecord(member), GSON.toJson(ttaInputs(member)));
        } else {
            log.warn(member.name() + ": the predictions from " + from.get() + " are not for key " + key.substring(0, 16)
                    + "; ignored");
        }
        return fetched;
    }

    /** A member's predictions that exist locally for its current configuration, for publishing. */
    public record PredictionsArtifact(String member, String key, Path file) {}

    public List<PredictionsArtifact> predictionsArtifacts(Set<String> names) throws ExperimentException, IOException {
        List<PredictionsArtifact> artifacts = new ArrayList<>();
        for (MemberSpec member : members(names)) {
            Path file = predictionsFile(member);
            if (cachedPredictions(member, file, ttaKey(member)).isPresent()) {
                artifacts.add(new PredictionsArtifact(member.name(), ttaKey(member), file));
            }
        }
        return artifacts;
    }

    /** The inputs of the member's last TTA predictions, to say what changed. */
    private Path ttaRecord(MemberSpec member) {
        return out.resolve("predictions").resolve(member.name() + ".json");
    }

    private Map<String, String> lastTtaInputs(MemberSpec member) {
        JsonObject json = readJson(ttaRecord(member));
        return json == null ? null : stringMap(json);
    }

    private Optional<Predictions> cachedPredictions(MemberSpec member, Path file, String key) throws IOException {
        try {
            return Predictions.read(file, key);
        } catch (Predictions.CorruptedException e) {
            log.warn(e.getMessage() + "; it will be recomputed");
            Files.deleteIfExists(file);
            return Optional.empty();
        }
    }

    // ---------------------------------------------------------------- ensemble and submission

    /** The ensemble's probabilities and, when test labels are given, the accuracies. */
    public record EnsembleResult(float[][] probabilities, Map<String, Double> memberAccuracy, Double accuracy) {}

    public EnsembleResult ensemble() throws ExperimentException, IOException {
        List<float[][]> members = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        Map<String, Double> accuracies = new LinkedHashMap<>();
        Map<String, String> truth = manifest.data().testLabels().isPresent()
                ? readTestLabels(manifest.data().testLabels().get()) : null;
        log.info(String.format(Locale.ROOT, "%-24s %-16s %6s %11s %14s", "member", "arch", "weight", "valid_error",
                truth == null ? "" : "test_accuracy"));
        for (MemberSpec declared : manifest.ensembleMembers()) {
            MemberSpec member = resolve(declared);
            Predictions predictions = availablePredictions(member).orElseThrow(() ->
                    new ExperimentException("member '" + member.name() + "' has no TTA predictions for its current"
                            + " configuration; run 'mvn paddy:train paddy:tta' (or 'mvn package') first"));
            members.add(predictions.probabilities());
            weights.add(member.weight());
            Double accuracy = truth == null ? null : accuracy(predictions.probabilities(), truth);
            accuracies.put(member.name(), accuracy);
            log.info(String.format(Locale.ROOT, "%-24s %-16s %6.2f %11s %14s", member.name(), member.arch(),
                    member.weight(), validError(member), accuracy == null ? "" : String.format(Locale.ROOT, "%.4f", accuracy)));
        }
        float[][] probabilities = WeightedMean.combine(members, weights);
        new Predictions("ensemble", data.testIds(), data.vocabulary(), probabilities).write(out.resolve("ensemble.probs"));
        Double accuracy = truth == null ? null : accuracy(probabilities, truth);
        if (accuracy != null) {
            log.info(String.format(Locale.ROOT, "%-24s %-16s %6s %11s %14.4f", "ENSEMBLE", "", "", "", accuracy));
        }
        return new EnsembleResult(probabilities, accuracies, accuracy);
    }

    /** Writes the submission CSV from the ensemble, in the sample submission's order. */
    public Path submit() throws ExperimentException, IOException {
        Predictions ensemble;
        try {
            ensemble = Predictions.read(out.resolve("ensemble.probs"), "ensemble").orElse(null);
        } catch (Predictions.CorruptedException e) {
            ensemble = null;
        }
        float[][] probabilities = ensemble != null && ensemble.ids().equals(data.testIds())
                ? ensemble.probabilities() : ensemble().probabilities();
        Path file = out.resolve(manifest.submission().file());
        SubmissionWriter.write(file, idColumn(), manifest.submission().labelColumn(), data.testIds(), probabilities,
                data.vocabulary());
        log.info("submission: " + file + " (" + data.testIds().size() + " rows)");
        return file;
    }

    private String idColumn() throws IOException {
        try (var reader = Files.newBufferedReader(manifest.data().sampleSubmission(), StandardCharsets.UTF_8)) {
            String header = reader.readLine();
            return header == null ? "image_id" : header.split(",")[0].trim();
        }
    }

    private String validError(MemberSpec member) {
        JsonObject record = readJson(memberDir(member).resolve("training.json"));
        return record == null || stringOrNull(record, "error_rate") == null ? "?"
                : String.format(Locale.ROOT, "%.4f", record.get("error_rate").getAsDouble());
    }

    private Map<String, String> readTestLabels(Path file) throws ExperimentException {
        try {
            Map<String, String> labels = PaddyData.readLabels(file);
            for (String id : data.testIds()) {
                if (!labels.containsKey(id)) {
                    throw new ExperimentException(file + ": no label for test image '" + id + "'");
                }
            }
            return labels;
        } catch (DataException e) {
            throw new ExperimentException(e.getMessage());
        }
    }

    private double accuracy(float[][] probabilities, Map<String, String> truth) {
        int correct = 0;
        for (int i = 0; i < probabilities.length; i++) {
            if (data.vocabulary().get(WeightedMean.argmax(probabilities[i])).equals(truth.get(data.testIds().get(i)))) {
                correct++;
            }
        }
        return (double) correct / probabilities.length;
    }

    // ---------------------------------------------------------------- helpers

    static String pluginVersion() {
        try (InputStream in = Experiment.class.getResourceAsStream("/dev/paddy/paddy.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
