package dev.paddy.report;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything the HTML report shows, as plain values. The experiment builds it from the records
 * its stages already wrote (training records, the memory plan, the stage runs, the ensemble), so
 * writing the report trains and predicts nothing. Absent figures are null (an older paddy trained
 * the member, the lr finder did not run, no test labels were given).
 */
public record ReportModel(Run run, List<StageRun> stages, List<Member> members, Ensemble ensemble) {

    /**
     * The build: the manifest and its content hash, versions, the CPU model and ISA of the machine
     * writing the report ({@code isa}: "avx512_core_bf16", or "... capped at avx2" under an ISA cap),
     * device, threads, when the report was written.
     */
    public record Run(String manifest, String manifestHash, String plugin, String engine, String cpu, String isa,
                      String device, int threads, String written) {}

    /** One goal's last run: how long it took and what it did for each member, and why. */
    public record StageRun(String stage, double seconds, String finished, List<Outcome> members) {}

    /** {@code outcome}: cached, resolved or ran; {@code why}: the reason or the source. */
    public record Outcome(String member, String outcome, String why) {}

    /**
     * One member: its curves, its schedule (per optimizer step, per parameter group), its
     * validation confusion matrix and top losses, its memory, the images it skipped, the lr
     * finder when it ran. {@code trainedBy} says which build trained it (host, user, time), and
     * {@code environment} what it was trained under (null for a record of an earlier paddy);
     * {@code earlierConfiguration}, that these figures are of another configuration than the
     * member's current one (a record left from before a change, or an old one shared).
     */
    public record Member(String name, String arch, String trainedBy, Environment environment,
                         boolean earlierConfiguration, List<String> vocabulary, List<Epoch> epochs, List<Step> schedule,
                         int[][] confusion, List<TopLoss> topLosses, Memory memory, List<String> skippedImages,
                         LrFind lrFind) {}

    /**
     * The environment a member was trained under, as words: the CPU model, its ISA and the caps in
     * force ("avx512_core_bf16 capped at avx2, ATEN_CPU_CAPABILITY avx2"), the threads ("1+1
     * threads": intra-op + inter-op), the device, the engine and the numerics mode.
     */
    public record Environment(String cpu, String isa, String threads, String device, String engine, String numerics) {}

    /** {@code moreErrorRates}: the error rates of the targets after the folder label by name (null when there are none). */
    public record Epoch(int epoch, String phase, double trainLoss, double validLoss, double errorRate, double seconds,
                        Map<String, Double> moreErrorRates) {
        /** An epoch of a member of the folder label alone. */
        public Epoch(int epoch, String phase, double trainLoss, double validLoss, double errorRate, double seconds) {
            this(epoch, phase, trainLoss, validLoss, errorRate, seconds, null);
        }
    }

    /** The learning rate of each parameter group (one for members without discriminative rates) and the momentum. */
    public record Step(int step, List<Double> lrs, double momentum) {}

    /** A validation image the member got most wrong: actual and predicted class, the predicted one's probability, the loss. */
    public record TopLoss(Path image, String actual, String predicted, double probability, double loss) {}

    /** The memory plan's trials for this member (empty without a budget) and the peak measured while training. */
    public record Memory(Double limitMiB, List<Trial> trials, Double measuredPeakMiB, String measure) {}

    public record Trial(int accum, int microBatch, double peakMiB, boolean fits) {}

    /** The lr finder's curve (loss against lr) and its suggestions by name (valley, slide, steep, minimum). */
    public record LrFind(List<Double> lrs, List<Double> losses, Map<String, Double> suggestions) {}

    /** Each member's weight, valid error and test accuracy (null without test labels), and the ensemble's accuracy. */
    public record Ensemble(List<EnsembleRow> members, Double accuracy) {}

    public record EnsembleRow(String member, String arch, double weight, Double validError, Double testAccuracy) {}
}
