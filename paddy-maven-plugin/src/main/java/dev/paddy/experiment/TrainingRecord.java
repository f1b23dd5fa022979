package dev.paddy.experiment;

import com.google.gson.annotations.SerializedName;
import dev.paddy.engine.RunEnvironment;
import dev.paddy.io.Json;
import dev.paddy.train.EpochMetrics;
import dev.paddy.train.TrainingConfig;
import java.util.List;
import java.util.Map;

/**
 * {@code members/<name>/training.json}: the key and the inputs it was hashed from, the
 * vocabulary, every epoch's metrics (with the error rate of each target after the folder label,
 * for a member of several), the images used and skipped, the peak memory, the
 * checksum of {@code model.params}, and for the report: which build trained it, the schedule of
 * every step, the confusion matrix and the top losses on its validation split (null in records an
 * earlier paddy wrote), and the environment it was trained under: CPU, ISA and its caps, threads,
 * device, engine and numerics mode ({@link RunEnvironment}; null in records an earlier paddy
 * wrote, which read as before: the environment is not part of the key, so they stay cached).
 * Field names are camelCase like every JSON file paddy writes; the snake_case names an earlier
 * paddy wrote are read too, so its trained members stay cached.
 */
record TrainingRecord(
        String key,
        String member,
        Map<String, String> inputs,
        List<String> vocabulary,
        List<EpochMetrics> epochs,
        @SerializedName(value = "errorRate", alternate = "error_rate") double errorRate,
        double seconds,
        @SerializedName(value = "imagesPerSecond", alternate = "images_per_second") double imagesPerSecond,
        @SerializedName(value = "trainImages", alternate = "train_images") int trainImages,
        @SerializedName(value = "validImages", alternate = "valid_images") int validImages,
        @SerializedName(value = "skippedImages", alternate = "skipped_images") List<String> skippedImages,
        @SerializedName(value = "peakMemoryMiB", alternate = "peak_memory_mib") double peakMemoryMiB,
        @SerializedName(value = "peakMemoryMeasure", alternate = "peak_memory_measure") String peakMemoryMeasure,
        @SerializedName(value = "modelChecksum", alternate = "model_checksum") String modelChecksum,
        String trainedBy,
        List<TrainingConfig.StepSetting> schedule,
        int[][] confusion,
        List<TopLoss> topLosses,
        RunEnvironment environment)
        implements Json.Checked {

    /** A validation image among the member's top losses: its file, true and predicted label, probability, loss. */
    record TopLoss(String image, String actual, String predicted, double probability, double loss) {}

    @Override
    public String problem() {
        return key == null || inputs == null ? "no key or inputs"
                : epochs == null || vocabulary == null ? "no epochs or vocabulary" : null;
    }
}
