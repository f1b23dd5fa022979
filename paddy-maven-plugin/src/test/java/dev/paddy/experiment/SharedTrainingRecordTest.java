package dev.paddy.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddy.TinyPaddy;
import dev.paddy.io.Json;
import dev.paddy.report.ReportModel;
import dev.paddy.train.EpochMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training record that came with a teammate's predictions is read for the report only: it never
 * makes the report open a file that is not one of this experiment's training images, and one that
 * lacks parts (no epochs, a null image) never breaks the report.
 */
class SharedTrainingRecordTest {
    private static final String SECRET = "{\"username\":\"me\",\"key\":\"0123456789abcdef-kaggle-key\"}";

    @TempDir
    Path dir;

    private Experiment experiment;

    @BeforeEach
    void open() throws Exception {
        TinyPaddy.create(dir, 3, 4, 6);
        TinyPaddy.manifest(dir, TinyPaddy.minimalYaml("""
                members:
                  - name: res
                    arch: resnet18
                """));
        experiment = Experiment.open(dir.resolve("paddy.yaml"), dir.resolve("target/paddy"), new CollectedLog());
        Files.createDirectories(experiment.layout().sharedTrainingRecord("res").getParent());
    }

    private static TrainingRecord record(List<EpochMetrics> epochs, List<TrainingRecord.TopLoss> topLosses) {
        return new TrainingRecord("key", "res", Map.of("stage", "train-v2"), List.of("ankle_boot", "bag", "coat"), epochs,
                0.25, 10, 100, 10, 2, List.of(), 100, "test", "1:2", "teammate", null, null, topLosses, null);
    }

    @Test
    void aTopLossNamingAFileOutsideTheTrainingImagesIsNeverOpened() throws Exception {
        Path key = dir.resolve("kaggle.json");
        Files.writeString(key, SECRET, StandardCharsets.UTF_8);
        Path image = experiment.data().trainFiles().get(0);
        Path elsewhere = Path.of("/home/teammate/project/data/train_images").resolve(image.getParent().getFileName())
                .resolve(image.getFileName());
        Json.write(experiment.layout().sharedTrainingRecord("res"), record(
                List.of(new EpochMetrics(1, "one_cycle", 1.0, 1.1, 0.25, 100, 2)),
                List.of(new TrainingRecord.TopLoss(key.toString(), "bag", "coat", 0.9, 2.3),
                        new TrainingRecord.TopLoss(elsewhere.toString(), "bag", "coat", 0.8, 1.6),
                        new TrainingRecord.TopLoss(null, "bag", "coat", 0.7, 1.2))));

        ReportModel.Member res = experiment.reportModel().members().get(0);
        assertEquals(java.util.Arrays.asList(null, image, null),
                res.topLosses().stream().map(ReportModel.TopLoss::image).toList(),
                "only a training image of this experiment, found by its class folder and name");
        String html = Files.readString(experiment.report());
        assertFalse(html.contains("kaggle-key") || html.contains("username"), "nothing of the key file is in the report");
    }

    @Test
    void aRecordWithoutEpochsIsNotUsedAndTheReportIsWritten() throws Exception {
        Json.write(experiment.layout().sharedTrainingRecord("res"), record(null, null));
        Path report = experiment.report();
        assertTrue(Files.isRegularFile(report));
        assertEquals(List.of(), experiment.reportModel().members().get(0).epochs());
    }
}
