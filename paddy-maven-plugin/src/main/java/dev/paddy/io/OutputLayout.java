package dev.paddy.io;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * Every path under the output folder ({@code target/paddy/} by default), and nowhere else is a
 * file name joined: the README's layout table is this class.
 *
 * <pre>
 * members/&lt;name&gt;/model.params, training.json   a member's trained weights and its record
 * members/&lt;name&gt;/checkpoint/                    while training: epoch-N.params, epoch-N.optimizer, progress.json
 * predictions/&lt;name&gt;-&lt;key&gt;.probs             TTA probabilities, one file per TTA key
 * predictions/&lt;name&gt;-&lt;key&gt;.&lt;target&gt;.probs    the same for a target after the folder label
 * predictions/&lt;name&gt;.json                      the inputs of the member's last predictions
 * predictions/&lt;name&gt;.training.json             the training record that came with shared predictions
 * ensemble.probs, ensemble.json, &lt;submission&gt;  the ensemble, its table, and the CSV
 * &lt;submission&gt;-&lt;target&gt;.csv                   another target's predictions, beside the submission
 * stages/&lt;stage&gt;.json                         what the last run of each stage did, and how long it took
 * report/index.html                             the report
 * memory-plan.json, probes/                     the memory plan and the probes' scratch files
 * workers/&lt;name&gt;.&lt;task&gt;.json, .log           a member's worker: its request, its output, a crash log
 * items/items-&lt;key&gt;.u8 (+ .failures)          the decoded item cache
 * seeds.properties, fingerprint.properties      drawn seeds; content hashes of the data
 * .lock                                         held by the build that uses the folder
 * </pre>
 */
public final class OutputLayout {
    /** Hex digits of a key that name a file (and a shared artifact's classifier). */
    public static final int KEY_IN_NAME = 16;

    /** A member's shared training record is {@code predictions/<name>.training.json}, beside {@code <name>.json}. */
    public static final String SHARED_RECORD_SUFFIX = ".training";

    /** The names paddy gives to files and folders directly in the output folder (no submission may take one). */
    private static final Set<String> OWN_NAMES = Set.of(".lock", "seeds.properties",
            "fingerprint.properties", "memory-plan.json", "ensemble.probs", "ensemble.json", "members", "predictions",
            "stages", "report", "probes", "items", "lr-find", "predict", "workers");

    private final Path root;

    public OutputLayout(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Path lock() {
        return root.toAbsolutePath().normalize().resolve(".lock");
    }

    public Path seeds() {
        return root.resolve("seeds.properties");
    }

    public Path fingerprints() {
        return root.resolve("fingerprint.properties");
    }

    public Path items() {
        return root.resolve("items");
    }

    public Path memoryPlan() {
        return root.resolve("memory-plan.json");
    }

    public Path probes() {
        return root.resolve("probes");
    }

    /** The members' worker JVMs' requests, outputs and crash logs ({@code <member>.<task>.json, .log}). */
    public Path workers() {
        return root.resolve("workers");
    }

    public Path memberDir(String member) {
        return root.resolve("members").resolve(member);
    }

    public Path model(String member) {
        return memberDir(member).resolve("model.params");
    }

    /** The member's model in DJL's model-zoo layout: a folder named after the member (what DJL's {@code Criteria} loads). */
    public Path modelZoo(String member) {
        return memberDir(member).resolve("model-zoo").resolve(member);
    }

    /** The zip of {@link #modelZoo} attached to the project (classifier {@code <member>-model}). */
    public Path modelZip(String member) {
        return memberDir(member).resolve(member + "-model.zip");
    }

    /** What {@link #modelZip} was written from (its export key) and the zip's checksum. */
    public Path modelZipRecord(String member) {
        return memberDir(member).resolve("model-zip.key");
    }

    public Path trainingRecord(String member) {
        return memberDir(member).resolve("training.json");
    }

    public Path checkpointDir(String member) {
        return memberDir(member).resolve("checkpoint");
    }

    /** A member's lr finder run: the curve, the suggestions and the key it was run for. */
    public Path lrFind(String member) {
        return lrFindDir().resolve(member + ".json");
    }

    public Path lrFindDir() {
        return root.resolve("lr-find");
    }

    /** The lr finder's plot: loss against lr with the suggestions marked. */
    public Path lrFindPlot(String member) {
        return lrFindDir().resolve(member + ".png");
    }

    public Path predictions(String member, String ttaKey) {
        return root.resolve("predictions").resolve(member + "-" + keyInName(ttaKey) + ".probs");
    }

    /** A member's TTA probabilities of a target after the folder label. */
    public Path targetPredictions(String member, String ttaKey, String target) {
        return root.resolve("predictions").resolve(member + "-" + keyInName(ttaKey) + "." + fileNamePart(target) + ".probs");
    }

    public Path predictionsRecord(String member) {
        return root.resolve("predictions").resolve(member + ".json");
    }

    public Path ensemble() {
        return root.resolve("ensemble.probs");
    }

    /** What the last run of a stage did, and how long it took. */
    public Path stageRun(String stage) {
        return root.resolve("stages").resolve(stage + ".json");
    }

    /** The ensemble's table: each member's weight, valid error and test accuracy, and the ensemble's. */
    public Path ensembleRecord() {
        return root.resolve("ensemble.json");
    }

    /** A member's training record that came with its shared predictions (its weights stayed on the runner that trained it). */
    public Path sharedTrainingRecord(String member) {
        return root.resolve("predictions").resolve(member + SHARED_RECORD_SUFFIX + ".json");
    }

    public Path report() {
        return root.resolve("report").resolve("index.html");
    }

    /** Whether {@code fileName} is one of paddy's own files or folders in the output folder. */
    public static boolean isOwnName(String fileName) {
        return OWN_NAMES.contains(fileName.toLowerCase(Locale.ROOT));
    }

    /** Where {@code paddy:predict} writes the labels of a folder's images by default: {@code predict/<folder>.csv}. */
    public Path predicted(String folderName) {
        return root.resolve("predict").resolve(fileNamePart(folderName) + ".csv");
    }

    /** The submission CSV, {@code fileName} from the manifest (a name without folders). */
    public Path submission(String fileName) {
        return root.resolve(fileName);
    }

    /**
     * Another target's predictions beside the submission {@code fileName}: {@code submission.csv}
     * and {@code variety} give {@code submission-variety.csv}.
     */
    public Path targetSubmission(String fileName, String target) {
        int dot = fileName.lastIndexOf('.');
        String stem = dot > 0 ? fileName.substring(0, dot) : fileName;
        return root.resolve(stem + "-" + fileNamePart(target) + (dot > 0 ? fileName.substring(dot) : ".csv"));
    }

    /** A target's name (a CSV column's header) as part of a file name: characters other than A-Z a-z 0-9 . _ - become _. */
    public static String fileNamePart(String target) {
        return target.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    public static String keyInName(String key) {
        return key.substring(0, KEY_IN_NAME);
    }

    // Inside a checkpoint folder (train.Checkpoints).

    public static Path checkpointProgress(Path checkpointDir) {
        return checkpointDir.resolve("progress.json");
    }

    public static String checkpointPrefix() {
        return "epoch-";
    }

    public static Path checkpointParams(Path checkpointDir, int epoch) {
        return checkpointDir.resolve(checkpointPrefix() + epoch + ".params");
    }

    public static Path checkpointOptimizer(Path checkpointDir, int epoch) {
        return checkpointDir.resolve(checkpointPrefix() + epoch + ".optimizer");
    }

    // Inside the item cache folder (data.ItemCacheFile).

    public static Path itemCache(Path itemsDir, String key) {
        return itemsDir.resolve("items-" + key + ".u8");
    }

    public static Path itemCacheFailures(Path itemCache) {
        return itemCache.resolveSibling(itemCache.getFileName() + ".failures");
    }

    // Inside the probes folder (memory.ProbeRunner): one request, result and log per trial.

    public static Path probeFile(Path probesDir, String member, int accum, String suffix) {
        return probesDir.resolve(member + "-accum" + accum + "." + suffix);
    }
}
