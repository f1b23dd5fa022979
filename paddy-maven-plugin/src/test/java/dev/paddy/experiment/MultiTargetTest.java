package dev.paddy.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddy.TinyPaddy;
import dev.paddy.Training;
import dev.paddy.data.ImageFiles;
import dev.paddy.io.Json;
import dev.paddy.train.EpochMetrics;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two targets on real images, trained for real: 3 Fashion-MNIST classes (the folder label), each
 * image given a red or a blue colour cast at random, independently of its class, and a labels CSV
 * whose {@code variety} column is that cast. So the second target is learnable and is not the
 * folder label. One member predicts both, one the folder label alone.
 */
@Training
class MultiTargetTest {
    @TempDir
    static Path project;

    static final int EPOCHS = 3;
    static final CollectedLog LOG = new CollectedLog();
    /** Each image's cast, by image id: the truth of the variety target, training and test images alike. */
    static final Map<String, String> CAST = new HashMap<>();
    static Experiment experiment;

    @BeforeAll
    static void trainOnce() throws Exception {
        Path data = TinyPaddy.create(project, 3, 40, 30);
        SplittableRandom random = new SplittableRandom(11);
        List<String> rows = new ArrayList<>(List.of("image_id,label,variety,age"));
        for (Path folder : ImageFiles.subfolders(data.resolve("train_images"))) {
            for (Path image : ImageFiles.list(folder)) {
                String cast = tint(image, random);
                rows.add(ImageFiles.id(image) + "," + folder.getFileName() + "," + cast + ",45");
            }
        }
        for (Path image : ImageFiles.list(data.resolve("test_images"))) {
            tint(image, random);
        }
        Files.write(data.resolve("train.csv"), rows);
        TinyPaddy.manifest(project, """
                data:
                  train: data/train_images
                  test: data/test_images
                  sample_submission: data/sample_submission.csv
                  test_labels: data/test_labels.csv
                  labels: data/train.csv
                defaults:
                  epochs: %d
                  batch_size: 16
                  item: {resize: squish, size: 20}
                  input_size: 16
                  seed: 3
                members:
                  - name: multi
                    arch: resnet18
                    targets: [label, variety]
                  - name: plain
                    arch: resnet18
                tta: {n: 2}
                """.formatted(EPOCHS));
        experiment = open(LOG);
        experiment.train(Set.of());
        experiment.tta(Set.of());
        experiment.ensemble();
        experiment.submit();
    }

    /** Rewrites the image with a red or a blue cast (+80 on that channel, even on the black background); returns which. */
    private static String tint(Path image, SplittableRandom random) throws IOException {
        boolean red = random.nextBoolean();
        BufferedImage gray = ImageIO.read(image.toFile());
        BufferedImage tinted = new BufferedImage(gray.getWidth(), gray.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < gray.getHeight(); y++) {
            for (int x = 0; x < gray.getWidth(); x++) {
                int v = gray.getRaster().getSample(x, y, 0);
                int cast = Math.min(255, v + 80);
                tinted.setRGB(x, y, red ? cast << 16 | v << 8 | v : v << 16 | v << 8 | cast);
            }
        }
        ImageIO.write(tinted, "png", image.toFile());
        String name = red ? "red" : "blue";
        CAST.put(ImageFiles.id(image), name);
        return name;
    }

    @Test
    void theSecondTargetIsLearnedAndBothErrorRatesAreLoggedAndRecorded() throws Exception {
        TrainingRecord record = Json.read(experiment.layout().trainingRecord("multi"), TrainingRecord.class,
                why -> { throw new AssertionError(why); }).orElseThrow();
        assertEquals(EPOCHS, record.epochs().size());
        for (EpochMetrics epoch : record.epochs()) {
            assertEquals(Set.of("variety"), epoch.moreErrorRates().keySet(), "every epoch records the variety's error rate");
            String line = "multi epoch " + epoch.epoch() + "/" + EPOCHS + "  train_loss ";
            assertTrue(LOG.lines.stream().anyMatch(l -> l.startsWith(line) && l.contains(String.format(Locale.ROOT,
                    "  error_rate %.4f (variety %.4f)  ", epoch.errorRate(), epoch.moreErrorRates().get("variety")))),
                    LOG.lines.toString());
        }
        EpochMetrics last = record.epochs().get(EPOCHS - 1);
        System.out.printf("multi: error_rate %.4f, variety %.4f (chance 0.5) after %d epochs; plain: error_rate %.4f%n",
                last.errorRate(), last.moreErrorRates().get("variety"), EPOCHS, plainRecord().errorRate());
        assertTrue(last.moreErrorRates().get("variety") < 0.25, "the cast is learned: " + last.moreErrorRates());
        assertEquals(last.errorRate(), record.errorRate(), "the member's error rate is the folder label's");
        assertTrue(LOG.has("multi: trained in "), LOG.lines.toString());
        assertTrue(LOG.lines.stream().anyMatch(l -> l.startsWith("multi: trained in ") && l.contains(" (variety ")),
                LOG.lines.toString());

        // The member of the folder label alone logs and records as before.
        assertTrue(plainRecord().epochs().stream().allMatch(e -> e.moreErrorRates() == null));
        assertTrue(LOG.lines.stream().filter(l -> l.startsWith("plain epoch ")).noneMatch(l -> l.contains("(variety")),
                LOG.lines.toString());
        assertFalse(Files.readString(experiment.layout().trainingRecord("plain")).contains("moreErrorRates"));
    }

    @Test
    void theVarietyIsWrittenBesideTheSubmissionForEveryTestImageInTheSampleOrder() throws Exception {
        List<String> sample = Files.readAllLines(project.resolve("data/sample_submission.csv"));
        List<String> variety = Files.readAllLines(project.resolve("target/paddy/submission-variety.csv"));
        assertEquals("image_id,variety", variety.get(0));
        assertEquals(sample.size(), variety.size(), "every test image");
        int right = 0;
        for (int i = 1; i < variety.size(); i++) {
            String[] cells = variety.get(i).split(",");
            assertEquals(sample.get(i).split(",")[0], cells[0], "sample submission order");
            assertTrue(Set.of("red", "blue").contains(cells[1]), cells[1]);
            right += cells[1].equals(CAST.get(cells[0])) ? 1 : 0;
        }
        double accuracy = right / (double) (variety.size() - 1);
        System.out.printf("test variety accuracy %.3f (%d of %d)%n", accuracy, right, variety.size() - 1);
        assertTrue(accuracy >= 0.75, "test variety accuracy " + accuracy);
        assertTrue(LOG.has("variety: " + project.resolve("target/paddy/submission-variety.csv") + " (30 rows, from multi)"),
                LOG.lines.toString());
        List<String> submission = Files.readAllLines(project.resolve("target/paddy/submission.csv"));
        assertEquals("image_id,label", submission.get(0), "the submission is the folder label's");
        assertEquals(sample.size(), submission.size());
    }

    @Test
    void onlyAMemberWithMoreTargetsHasThemInItsKeyAndARerunTrainsNothing() throws Exception {
        Experiment rerun = open(new CollectedLog());
        ResolvedMember plain = rerun.members(Set.of("plain")).get(0);
        ResolvedMember multi = rerun.members(Set.of("multi")).get(0);
        assertEquals(List.of("stage", "plugin", "engine", "arch", "accum", "epochs", "lr", "batch_size", "schedule",
                "optimizer", "weight_decay", "item", "decoder", "input_size", "normalize", "valid_pct", "seed", "weights",
                "data"), List.copyOf(plain.keys().trainingInputs().keySet()), "the folder label alone: keys as before");
        assertEquals("label,variety", multi.keys().trainingInputs().get("targets"));
        assertTrue(multi.keys().trainingInputs().containsKey("labels"), "the labels CSV's hash");
        assertTrue(Files.isRegularFile(rerun.layout().targetPredictions("multi", multi.keys().tta(), "variety")));
        assertEquals(List.of(), rerun.train(Set.of()).ran());
        assertEquals(List.of(), rerun.tta(Set.of()).ran());
    }

    private static TrainingRecord plainRecord() {
        return Json.read(experiment.layout().trainingRecord("plain"), TrainingRecord.class,
                why -> { throw new AssertionError(why); }).orElseThrow();
    }

    private static Experiment open(ExperimentLog log) throws Exception {
        return Experiment.open(project.resolve("paddy.yaml"), project.resolve("target/paddy"), log);
    }
}
