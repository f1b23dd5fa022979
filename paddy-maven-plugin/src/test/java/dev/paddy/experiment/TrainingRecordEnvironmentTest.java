package dev.paddy.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddy.TinyPaddy;
import dev.paddy.engine.RunEnvironment;
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
 * Issue 19: a training record carries the environment its member was trained under; a record an
 * earlier paddy wrote, without it, still reads (its member stays cached) and its report says "not
 * recorded".
 */
class TrainingRecordEnvironmentTest {
    /** training.json as the first paddy wrote it: snake_case, no format or checksum, no environment. */
    static final String EARLIER_PADDY = """
            {
              "key": "3f1c0a9e",
              "member": "res",
              "inputs": {"stage": "train-v1"},
              "vocabulary": ["ankle_boot", "bag", "coat"],
              "epochs": [{"epoch": 1, "phase": "one_cycle", "trainLoss": 1.0, "validLoss": 1.1, "errorRate": 0.25,
                          "imagesPerSecond": 100.0, "seconds": 2.0}],
              "error_rate": 0.25,
              "seconds": 10.0,
              "images_per_second": 100.0,
              "train_images": 10,
              "valid_images": 2,
              "skipped_images": [],
              "peak_memory_mib": 100.0,
              "peak_memory_measure": "process peak resident memory (VmHWM)",
              "model_checksum": "1:2"
            }
            """;

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
        Files.createDirectories(experiment.layout().trainingRecord("res").getParent());
    }

    @Test
    void aRecordOfAnEarlierPaddyReadsWithoutAnEnvironmentAndTheReportSaysNotRecorded() throws Exception {
        Files.writeString(experiment.layout().trainingRecord("res"), EARLIER_PADDY, StandardCharsets.UTF_8);
        TrainingRecord record = Json.read(experiment.layout().trainingRecord("res"), TrainingRecord.class,
                why -> { throw new AssertionError(why); }).orElseThrow();
        assertNull(record.environment());
        assertEquals(0.25, record.errorRate());
        assertEquals("1:2", record.modelChecksum());

        ReportModel.Member res = experiment.reportModel().members().get(0);
        assertNull(res.environment());
        assertEquals(1, res.epochs().size(), "the rest of the record is the report's as before");
        String html = Files.readString(experiment.report());
        assertTrue(html.contains("Environment not recorded (an earlier paddy trained this member)"));
    }

    @Test
    void aRecordWithItsEnvironmentShowsItInTheReport() throws Exception {
        RunEnvironment environment = new RunEnvironment("AMD EPYC 9R14", "avx512_core_bf16", "AVX2", "avx2", null, 1, 1,
                "cpu()", "PyTorch 2.5.1 (DJL 0.32.0)", "Linux", "amd64", "17.0.13", "portable");
        Json.write(experiment.layout().trainingRecord("res"), new TrainingRecord("key", "res", Map.of("stage", "train-v2"),
                List.of("ankle_boot", "bag", "coat"), List.of(new EpochMetrics(1, "one_cycle", 1.0, 1.1, 0.25, 100, 2)),
                0.25, 10, 100, 10, 2, List.of(), 100, "test", "1:2", "builder", null, null, null, environment));
        assertTrue(Files.readString(experiment.layout().trainingRecord("res")).contains("\"environment\": {"));
        assertEquals(environment, Json.read(experiment.layout().trainingRecord("res"), TrainingRecord.class,
                why -> { throw new AssertionError(why); }).orElseThrow().environment(), "written and read back whole");

        assertEquals(new ReportModel.Environment("AMD EPYC 9R14", "avx512_core_bf16 capped at avx2, ATEN_CPU_CAPABILITY avx2",
                "1+1 threads", "cpu()", "PyTorch 2.5.1 (DJL 0.32.0)", "portable"),
                experiment.reportModel().members().get(0).environment());
        ReportModel.Run run = experiment.reportModel().run();
        assertEquals(RunEnvironment.Cpu.current().model(), run.cpu(), "the machine writing the report");
        assertTrue(run.isa() != null && !run.isa().isBlank(), run.isa());
    }
}
